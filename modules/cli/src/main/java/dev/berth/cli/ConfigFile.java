package dev.berth.cli;

import dev.berth.spi.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * A berth YAML file read into nested maps, with typed getters that name the file and the
 * key in every error. Unknown keys are errors (a typo must not silently fall back to a default).
 */
final class ConfigFile {
    private final String source;
    private final String path;
    private final Map<String, Object> values;

    private ConfigFile(String source, String path, Map<String, Object> values) {
        this.source = source;
        this.path = path;
        this.values = values;
    }

    static ConfigFile empty() {
        return new ConfigFile("(no config file)", "", Map.of());
    }

    static ConfigFile load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException("config file " + file + " does not exist: pass --config with the path of your berth.yaml");
        } catch (IOException e) {
            throw new UsageException("config file " + file + " cannot be read (" + e.getMessage() + "): check its permissions");
        }
        Object root;
        try {
            root = new Load(LoadSettings.builder().setLabel(file.toString()).setAllowDuplicateKeys(false).build())
                    .loadFromString(text);
        } catch (MarkedYamlEngineException e) {
            var mark = e.getProblemMark();
            throw new UsageException("config file " + file + " is not valid YAML: " + e.getProblem()
                    + mark.map(m -> " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1)).orElse("")
                    + ": fix the file and re-run");
        } catch (YamlEngineException e) {
            throw new UsageException("config file " + file + " is not valid YAML: " + firstLine(e.getMessage()));
        }
        if (root == null) {
            return new ConfigFile(file.toString(), "", Map.of());
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new UsageException("config file " + file + " must be a mapping of keys (cluster:, store:, ...), not a "
                    + kind(root));
        }
        return new ConfigFile(file.toString(), "", stringKeys(file.toString(), "", map));
    }

    private static Map<String, Object> stringKeys(String source, String path, Map<?, ?> map) {
        var result = new TreeMap<String, Object>();
        map.forEach((k, v) -> {
            if (!(k instanceof String key)) {
                throw new UsageException("config file " + source + ": key " + k + " under '" + path + "' is not a name");
            }
            result.put(key, v);
        });
        return result;
    }

    /** Fails on any key not in {@code known}, suggesting the closest known one. */
    ConfigFile only(Set<String> known) {
        for (var key : values.keySet()) {
            if (!known.contains(key)) {
                throw new UsageException("config file " + source + " has an unknown key '" + qualified(key) + "'"
                        + ConfigException.closest(key, known).map(k -> " (did you mean '" + qualified(k) + "'?)").orElse("")
                        + ": known keys here are " + String.join(", ", new java.util.TreeSet<>(known)));
            }
        }
        return this;
    }

    ConfigFile section(String key) {
        var v = values.get(key);
        if (v == null) {
            return new ConfigFile(source, qualified(key), Map.of());
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw new UsageException("config file " + source + ": '" + qualified(key) + "' must be a mapping, not a " + kind(v));
        }
        return new ConfigFile(source, qualified(key), stringKeys(source, qualified(key), map));
    }

    Optional<String> string(String key) {
        var v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Map || v instanceof List) {
            throw new UsageException("config file " + source + ": '" + qualified(key) + "' must be a single value, not a " + kind(v));
        }
        return Optional.of(v.toString());
    }

    Optional<Integer> integer(String key) {
        return string(key).map(s -> {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new UsageException("config file " + source + ": '" + qualified(key) + "' is '" + s
                        + "', which is not a whole number");
            }
        });
    }

    Optional<Boolean> bool(String key) {
        return string(key).map(s -> switch (s.trim().toLowerCase()) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new UsageException("config file " + source + ": '" + qualified(key) + "' is '" + s
                    + "': write true or false");
        });
    }

    List<String> list(String key) {
        var v = values.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw new UsageException("config file " + source + ": '" + qualified(key) + "' must be a list ([a, b]), not a " + kind(v));
        }
        var result = new ArrayList<String>();
        l.forEach(item -> result.add(String.valueOf(item)));
        return result;
    }

    /** A flat string map (plugin settings). */
    Map<String, String> flat(String key) {
        var result = new TreeMap<String, String>();
        var section = section(key);
        section.values.forEach((k, v) -> {
            if (v instanceof Map || v instanceof List) {
                throw new UsageException("config file " + source + ": '" + section.qualified(k)
                        + "' must be a single value (plugin settings are flat)");
            }
            result.put(k, String.valueOf(v));
        });
        return result;
    }

    private String qualified(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String kind(Object v) {
        return v instanceof Map ? "mapping" : v instanceof List ? "list" : "value";
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
