package dev.berth.spi;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A key as {@link ClaimStore#listHinted} shows it: its version, and the hint of that version (the
 * short summary of the value its writer gave) or the value itself (a store whose listing carries
 * values, or a value the store had to read), or both; never neither.
 */
public record Hinted(String key, String version, Optional<String> hint, Optional<Versioned> value) {

    public Hinted {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(value, "value");
        if (hint.isEmpty() && value.isEmpty()) {
            throw new IllegalArgumentException("a listed key '" + key + "' needs its hint or its value");
        }
    }

    /** The hint given, or the one {@code hintOf} derives from the value. */
    public String hint(Function<byte[], String> hintOf) {
        return hint.orElseGet(() -> hintOf.apply(value.orElseThrow().value()));
    }
}
