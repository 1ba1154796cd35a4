package dev.berth.spi;

/** The outcome of a conditional write: {@link Written} or {@link Conflict}. */
public sealed interface WriteResult permits Written, Conflict {
}
