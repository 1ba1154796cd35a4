package dev.berth.spi;

import java.util.Optional;

/**
 * The condition did not hold (the key exists, or has another version, or is gone): nothing
 * was written. {@code current} is the value the store saw, when it tells.
 */
public record Conflict(Optional<Versioned> current) implements WriteResult, DeleteResult {

    public static Conflict unknown() {
        return new Conflict(Optional.empty());
    }
}
