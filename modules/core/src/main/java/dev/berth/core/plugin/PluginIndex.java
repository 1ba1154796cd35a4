package dev.berth.core.plugin;

import dev.berth.spi.BerthException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one plugin folder provides, read from its {@code berth-plugin.properties} without
 * resolving a single jar: the provider names per service ({@code CloudProviderFactory=aws},
 * the simple name of the SPI factory as key, names comma-separated), the folders whose layers
 * are its parents ({@code parents=crypto}) and whether it is a shared library folder that is
 * only ever a parent ({@code library=true}). The image build writes it ({@code berth plugins
 * --write-index}); a folder or jar without one is a plugin whose names are known only once it
 * is resolved.
 *
 * @param source   the plugin folder or jar
 * @param indexed  whether the folder has an index (else {@code provides} is empty and unknown)
 * @param parents  the folder names, under the same {@code plugins/}, of its parent layers
 * @param library  a shared library folder: resolved only as a parent
 * @param provides service simple name to provider names
 */
public record PluginIndex(Path source, boolean indexed, List<String> parents, boolean library,
                          Map<String, Set<String>> provides) {
    public static final String FILE = "berth-plugin.properties";
    private static final String PARENTS = "parents";
    private static final String LIBRARY = "library";

    public PluginIndex {
        parents = List.copyOf(parents);
        var copy = new TreeMap<String, Set<String>>();
        provides.forEach((k, v) -> copy.put(k, Set.copyOf(v)));
        provides = java.util.Collections.unmodifiableMap(copy);
    }

    /** The folder or jar's name: what {@code parents=} lines refer to. */
    public String name() {
        return source.getFileName().toString();
    }

    /** Whether the index says this plugin provides {@code name} for the service {@code type}. */
    public boolean provides(Class<?> type, String name) {
        return provides.getOrDefault(type.getSimpleName(), Set.of()).contains(name);
    }

    /** Reads the index of a plugin folder or jar; no index file gives an unindexed entry. */
    public static PluginIndex read(Path source) {
        var file = source.resolve(FILE);
        if (!Files.isDirectory(source) || !Files.isRegularFile(file)) {
            return new PluginIndex(source, false, List.of(), false, Map.of());
        }
        var properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new BerthException("cannot read the plugin index " + file + " (" + e.getMessage() + "): fix it, or delete it"
                    + " to have berth resolve the plugin whenever no indexed plugin answers a name");
        }
        var provides = new TreeMap<String, Set<String>>();
        for (var key : properties.stringPropertyNames()) {
            if (!key.equals(PARENTS) && !key.equals(LIBRARY)) {
                provides.put(key, split(properties.getProperty(key)));
            }
        }
        var parents = List.copyOf(split(properties.getProperty(PARENTS, "")));
        for (var parent : parents) {
            if (parent.contains("/") || parent.contains("\\") || parent.equals("..") || parent.equals(".")) {
                throw new BerthException("plugin index " + file + " names parent '" + parent + "': give the name of a"
                        + " folder beside it under plugins/");
            }
        }
        return new PluginIndex(source, true, parents, Boolean.parseBoolean(properties.getProperty(LIBRARY, "false")),
                provides);
    }

    /** Writes this index into its folder, names sorted, so the image build is reproducible. */
    public void write() {
        if (!Files.isDirectory(source)) {
            throw new BerthException("plugin " + source + " is a jar, not a folder: an index goes into a plugin folder");
        }
        var lines = new ArrayList<String>();
        lines.add("# What this plugin provides, so that berth resolves it only when one of these is asked for.");
        lines.add("# Written by 'berth plugins --write-index'; delete it to have berth resolve the folder on demand.");
        if (!parents.isEmpty()) {
            lines.add(PARENTS + "=" + String.join(",", parents));
        }
        if (library) {
            lines.add(LIBRARY + "=true");
        }
        provides.forEach((k, v) -> lines.add(k + "=" + String.join(",", new TreeSet<>(v))));
        try (Writer out = Files.newBufferedWriter(source.resolve(FILE), StandardCharsets.UTF_8)) {
            for (var line : lines) {
                out.write(line);
                out.write('\n');
            }
        } catch (IOException e) {
            throw new BerthException("cannot write the plugin index " + source.resolve(FILE) + " (" + e + "): check the"
                    + " folder's permissions");
        }
    }

    PluginIndex withProvides(Map<String, Set<String>> names) {
        return new PluginIndex(source, true, parents, library, names);
    }

    private static Set<String> split(String value) {
        var names = new TreeSet<String>();
        Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(names::add);
        return names;
    }
}
