package dev.berth.spi;

public enum VolumeState {
    CREATING, AVAILABLE, IN_USE, DELETING, DELETED, ERROR
}
