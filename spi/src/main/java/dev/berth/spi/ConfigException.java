package dev.berth.spi;

import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A setting is wrong: unknown, missing, or a bad value. Bad input, not a failure at run time:
 * berth exits with code 2 and this message, which names the key (never its value when the key
 * names a secret) and what to write instead.
 */
public final class ConfigException extends BerthException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    /** An unknown key under {@code section}, with the closest known one when it is a likely typo. */
    public static ConfigException unknownKey(String source, String section, String key, Set<String> known) {
        var qualified = section.isEmpty() ? key : section + "." + key;
        var hint = closest(key, known).map(k -> " (did you mean '" + (section.isEmpty() ? k : section + "." + k) + "'?)")
                .orElse("");
        return new ConfigException(source + "unknown setting '" + qualified + "'" + hint + ": "
                + (known.isEmpty() ? "'" + section + "' takes no settings here; remove it"
                : "known keys here are " + String.join(", ", new TreeSet<>(known))));
    }

    /** The known name nearest to {@code key}, if it is within three edits (a typo). */
    public static Optional<String> closest(String key, Set<String> known) {
        return known.stream().min(Comparator.comparingInt(k -> distance(key.toLowerCase(), k.toLowerCase())))
                .filter(k -> distance(key.toLowerCase(), k.toLowerCase()) <= 3);
    }

    private static int distance(String a, String b) {
        var d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
            }
        }
        return d[a.length()][b.length()];
    }
}
