package dev.berth.spi;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The settings a plugin receives: flat string keys (dotted for nesting) taken from the
 * YAML config and the command line. {@code section} names where they came from, for errors.
 * A plugin declares the keys it knows with {@link #requireOnly(Set)}, so a misspelt key is an
 * error rather than a silent default. {@link #toString()} hides the values of secret keys
 * ({@link Redaction#isSecret(String)}). Every error here is a {@link ConfigException}.
 */
public record PluginConfig(String section, Map<String, String> values) {

    public PluginConfig {
        values = Map.copyOf(values);
    }

    public static PluginConfig empty(String section) {
        return new PluginConfig(section, Map.of());
    }

    /** Fails on the first key (in name order) that is not in {@code known}, naming it and the closest known key. */
    public PluginConfig requireOnly(Set<String> known) {
        for (var key : new TreeMap<>(values).keySet()) {
            if (!known.contains(key)) {
                throw ConfigException.unknownKey("", section, key, known);
            }
        }
        return this;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
    }

    public String get(String key, String fallback) {
        return get(key).orElse(fallback);
    }

    public String require(String key) {
        return get(key).orElseThrow(() -> new ConfigException(
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
            throw new ConfigException("setting '" + section + "." + key + "' is '" + Redaction.value(key, value)
                    + "', which is not a whole number: give a number such as 100");
        }
    }

    public PluginConfig with(String key, String value) {
        var copy = new TreeMap<>(values);
        copy.put(key, value);
        return new PluginConfig(section, copy);
    }

    /** The section and keys, secret values hidden. */
    @Override
    public String toString() {
        return "PluginConfig[" + section + "]" + new TreeMap<>(values).entrySet().stream()
                .map(e -> e.getKey() + "=" + Redaction.value(e.getKey(), e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
