package dev.berth.core.plugin;

import dev.berth.spi.BerthException;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Loads each plugin into its own {@link ModuleLayer}: every folder under {@code plugins/}
 * (all its jars together), and every jar lying directly in {@code plugins/}. A plugin's
 * dependencies stay inside its layer, so two plugins may carry different versions of one
 * library, and nothing of theirs reaches the core.
 */
public final class PluginLayers {
    private PluginLayers() {
    }

    /** A plugin loaded into its layer; {@code source} is the folder or jar it came from. */
    public record Plugin(Path source, ModuleLayer layer, List<String> modules) {
    }

    public static List<Plugin> load(Path pluginsDir, ModuleLayer parent) {
        if (!Files.isDirectory(pluginsDir)) {
            return List.of();
        }
        List<Path> sources;
        try (var entries = Files.list(pluginsDir)) {
            sources = entries.filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".jar"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new BerthException("cannot read the plugin folder " + pluginsDir + " (" + e + "): check its permissions");
        }
        var plugins = new ArrayList<Plugin>();
        for (var source : sources) {
            plugins.add(loadOne(source, parent));
        }
        return plugins;
    }

    static Plugin loadOne(Path source, ModuleLayer parent) {
        try {
            var finder = ModuleFinder.of(source);
            Set<String> roots = finder.findAll().stream().map(r -> r.descriptor().name())
                    .filter(name -> parent.findModule(name).isEmpty())
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
            if (roots.isEmpty()) {
                throw new BerthException("plugin " + source + " holds no module jar: put the plugin's jars (with their"
                        + " dependencies, not berth-spi) in its own folder under plugins/");
            }
            Configuration cf = parent.configuration().resolve(finder, ModuleFinder.of(), roots);
            var layer = parent.defineModulesWithOneLoader(cf, ClassLoader.getSystemClassLoader());
            return new Plugin(source, layer, List.copyOf(roots));
        } catch (FindException | ResolutionException e) {
            throw new BerthException("plugin " + source + " cannot be loaded: " + e.getMessage()
                    + ". Check that the folder holds the plugin's jars and all of their dependencies, once each");
        } catch (java.lang.LayerInstantiationException e) {
            throw new BerthException("plugin " + source + " cannot be loaded: " + e.getMessage()
                    + ". Two of its jars may share a package; keep one");
        }
    }
}
