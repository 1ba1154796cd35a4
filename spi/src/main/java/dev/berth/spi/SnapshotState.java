package dev.berth.spi;

public enum SnapshotState {
    PENDING, COMPLETED, ERROR
}
