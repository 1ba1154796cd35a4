package dev.berth.core.store;

import dev.berth.spi.BerthException;

/** The keys a claim store accepts: '/'-separated printable ASCII, at most 512 characters. */
public final class KeyNames {
    private KeyNames() {
    }

    public static void check(String key, boolean prefix) {
        if (key == null || (!prefix && key.isEmpty()) || key.length() > 512) {
            throw new BerthException("store key '" + key + "' must have 1 to 512 characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new BerthException("store key '" + key.replaceAll("[^\\x21-\\x7e]", "?")
                        + "' holds a space or a character outside printable ASCII at position " + i);
            }
        }
        if (key.startsWith("/") || key.contains("//") || key.contains("/../") || key.startsWith("../") || key.equals("..")) {
            throw new BerthException("store key '" + key + "' must be a relative path without empty or '..' parts");
        }
    }
}
