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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The plugin folder as a graph of module layers, each resolved the first time it is needed.
 * Every folder under {@code plugins/} (all its jars together) and every jar lying directly in
 * {@code plugins/} is one plugin with one layer and one loader. A folder's index
 * ({@link PluginIndex}) may name parent folders: their layers become the parents of its layer,
 * so a shared library (BouncyCastle, identity-common) is loaded once for all the plugins that
 * use it, as Layrry's layer graphs do. A plugin's own dependencies stay inside its layer, so two
 * plugins may carry different versions of one library, and nothing of theirs reaches the core.
 */
public final class PluginLayers {
    private final Path folder;
    private final ModuleLayer boot;
    private final Map<String, PluginIndex> entries;
    private final Map<String, Plugin> resolved = new LinkedHashMap<>();
    private final Set<String> resolving = new LinkedHashSet<>();

    /** A plugin resolved into its layer; {@code source} is the folder or jar it came from. */
    public record Plugin(Path source, ModuleLayer layer, List<String> modules) {
        public Plugin {
            modules = List.copyOf(modules);
        }
    }

    private PluginLayers(Path folder, ModuleLayer boot, Map<String, PluginIndex> entries) {
        this.folder = folder;
        this.boot = boot;
        this.entries = entries;
    }

    /** Reads the plugin folder's entries and their indexes; resolves nothing. A missing folder has no plugins. */
    public static PluginLayers scan(Path pluginsDir, ModuleLayer boot) {
        var entries = new TreeMap<String, PluginIndex>();
        if (Files.isDirectory(pluginsDir)) {
            try (var list = Files.list(pluginsDir)) {
                list.filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".jar")).sorted()
                        .forEach(p -> entries.put(p.getFileName().toString(), PluginIndex.read(p)));
            } catch (IOException e) {
                throw new BerthException("cannot read the plugin folder " + pluginsDir + " (" + e + "): check its permissions");
            }
        }
        for (var entry : entries.values()) {
            for (var parent : entry.parents()) {
                if (!entries.containsKey(parent)) {
                    throw new BerthException("plugin " + entry.source() + " names parent '" + parent + "' in its "
                            + PluginIndex.FILE + ", but " + pluginsDir.resolve(parent) + " does not exist: install that"
                            + " library folder, or rebuild the image");
                }
            }
        }
        return new PluginLayers(pluginsDir, boot, java.util.Collections.unmodifiableMap(entries));
    }

    /** Every entry of the plugin folder, by name, with its index (resolved or not). */
    public Map<String, PluginIndex> entries() {
        return entries;
    }

    /** The plugins resolved so far, in the order they were resolved (parents first). */
    public synchronized List<Plugin> resolved() {
        return List.copyOf(resolved.values());
    }

    /** The layer of one entry, its parents' first; the same layer on every call. */
    public synchronized Plugin resolve(String name) {
        var done = resolved.get(name);
        if (done != null) {
            return done;
        }
        var entry = entries.get(name);
        if (entry == null) {
            throw new BerthException("no plugin '" + name + "' in " + folder);
        }
        if (!resolving.add(name)) {
            throw new BerthException("plugin " + entry.source() + " is its own ancestor (parents " + resolving
                    + "): fix the parents= lines of their " + PluginIndex.FILE);
        }
        try {
            var parents = new ArrayList<ModuleLayer>();
            for (var parent : entry.parents()) {
                parents.add(resolve(parent).layer());
            }
            var plugin = define(entry.source(), parents.isEmpty() ? List.of(boot) : parents);
            resolved.put(name, plugin);
            return plugin;
        } finally {
            resolving.remove(name);
        }
    }

    private static Plugin define(Path source, List<ModuleLayer> parents) {
        try {
            var finder = ModuleFinder.of(source);
            Set<String> roots = new TreeSet<>();
            finder.findAll().stream().map(r -> r.descriptor().name())
                    .filter(module -> parents.stream().allMatch(p -> p.findModule(module).isEmpty()))
                    .forEach(roots::add);
            if (roots.isEmpty()) {
                throw new BerthException("plugin " + source + " holds no module jar: put the plugin's jars (with their"
                        + " dependencies, not berth-spi) in its own folder under plugins/");
            }
            var configurations = parents.stream().map(ModuleLayer::configuration).toList();
            Configuration cf = Configuration.resolve(finder, configurations, ModuleFinder.of(), roots);
            var controller = ModuleLayer.defineModulesWithOneLoader(cf, parents, ClassLoader.getSystemClassLoader());
            return new Plugin(source, controller.layer(), List.copyOf(roots));
        } catch (FindException | ResolutionException e) {
            throw new BerthException("plugin " + source + " cannot be loaded: " + e.getMessage()
                    + ". Check that the folder holds the plugin's jars and all of their dependencies, once each"
                    + " (or names the library folder that holds them in parents= of its " + PluginIndex.FILE + ")");
        } catch (LayerInstantiationException e) {
            throw new BerthException("plugin " + source + " cannot be loaded: " + e.getMessage()
                    + ". Two of its jars may share a package; keep one");
        }
    }
}
