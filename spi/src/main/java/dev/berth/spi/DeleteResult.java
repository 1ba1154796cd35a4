package dev.berth.spi;

/** The outcome of a conditional delete: {@link Deleted} or {@link Conflict}. */
public sealed interface DeleteResult permits Deleted, Conflict {
}
