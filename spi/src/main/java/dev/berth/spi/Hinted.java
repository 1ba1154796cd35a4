package dev.berth.spi;

import java.util.Optional;

/**
 * A key as {@link ClaimStore#listHinted} shows it: its version, the hint of that version (the
 * short summary of the value its writer gave, or one derived from the value), and the value
 * itself when the store read it anyway (a store whose listing carries values).
 */
public record Hinted(String key, String version, String hint, Optional<Versioned> value) {

    public Hinted {
        java.util.Objects.requireNonNull(key, "key");
        java.util.Objects.requireNonNull(version, "version");
        java.util.Objects.requireNonNull(hint, "hint");
        java.util.Objects.requireNonNull(value, "value");
    }
}
