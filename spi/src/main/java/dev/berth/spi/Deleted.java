package dev.berth.spi;

/** The delete took effect. */
public record Deleted() implements DeleteResult {
}
