package dev.berth.spi;

public enum AttachmentState {
    ATTACHING, ATTACHED, DETACHING, DETACHED, BUSY
}
