package dev.berth.spi;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The settings a plugin receives: flat string keys (dotted for nesting) taken from the
 * YAML config and the command line. {@code section} names where they came from, for errors.
 */
public record PluginConfig(String section, Map<String, String> values) {

    public PluginConfig {
        values = Map.copyOf(values);
    }

    public static PluginConfig empty(String section) {
        return new PluginConfig(section, Map.of());
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
    }

    public String get(String key, String fallback) {
        return get(key).orElse(fallback);
    }

    public String require(String key) {
        return get(key).orElseThrow(() -> new BerthException(
                "missing setting '" + section + "." + key + "': set it in the config file under '"
                        + section + ":' or pass it on the command line"));
    }

    public int getInt(String key, int fallback) {
        return get(key).map(v -> parseInt(key, v)).orElse(fallback);
    }

    private int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new BerthException("setting '" + section + "." + key + "' is '" + value
                    + "', which is not a whole number: give a number such as 100");
        }
    }

    public PluginConfig with(String key, String value) {
        var copy = new TreeMap<>(values);
        copy.put(key, value);
        return new PluginConfig(section, copy);
    }
}
