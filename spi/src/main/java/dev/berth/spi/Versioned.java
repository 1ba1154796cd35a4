package dev.berth.spi;

import java.util.Arrays;

/** A key's value and the version it had when read. */
public record Versioned(String key, byte[] value, String version) {

    public Versioned {
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Versioned v && key.equals(v.key) && version.equals(v.version) && Arrays.equals(value, v.value);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + version.hashCode();
    }

    @Override
    public String toString() {
        return "Versioned[key=" + key + ", version=" + version + ", " + value.length + " bytes]";
    }
}
