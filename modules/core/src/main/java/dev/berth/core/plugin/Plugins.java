package dev.berth.core.plugin;

import dev.berth.spi.BerthException;
import dev.berth.spi.BlockDevicesFactory;
import dev.berth.spi.ClaimStoreFactory;
import dev.berth.spi.CloudProviderFactory;
import dev.berth.spi.FileSystemDriverFactory;
import dev.berth.spi.IdentityProviderFactory;
import dev.berth.spi.KeyProviderFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The providers berth can use: the built-in ones (on berth's own module path) and those of the
 * plugin layers. A plugin folder is resolved only when one of its providers is asked for (its
 * index says which), so a claim loads the three or four plugins it uses and no more; a plugin
 * without an index is resolved when no built-in or indexed provider answers a name. A name
 * provided twice is refused with a message naming both sources.
 */
public final class Plugins {
    /** The services plugins provide, with how each names its providers. */
    public static final List<Service<?>> SERVICES = List.of(
            new Service<>(CloudProviderFactory.class, CloudProviderFactory::name, "cloud provider"),
            new Service<>(ClaimStoreFactory.class, ClaimStoreFactory::scheme, "claim store"),
            new Service<>(BlockDevicesFactory.class, BlockDevicesFactory::name, "block devices"),
            new Service<>(FileSystemDriverFactory.class, FileSystemDriverFactory::name, "filesystem driver"),
            new Service<>(IdentityProviderFactory.class, IdentityProviderFactory::kind, "identity"),
            new Service<>(KeyProviderFactory.class, KeyProviderFactory::name, "key provider"));

    private final PluginLayers layers;

    private Plugins(PluginLayers layers) {
        this.layers = layers;
    }

    /** Built-ins only. */
    public static Plugins builtIn() {
        return new Plugins(PluginLayers.scan(Path.of("/nonexistent/berth-plugins"), ModuleLayer.boot()));
    }

    /** Built-ins and the plugins under {@code pluginsDir}, each resolved into its layer when first needed. */
    public static Plugins load(Path pluginsDir) {
        return new Plugins(PluginLayers.scan(pluginsDir, berthLayer()));
    }

    private static ModuleLayer berthLayer() {
        var layer = Plugins.class.getModule().getLayer();
        return layer != null ? layer : ModuleLayer.boot();
    }

    /** The plugins resolved so far (all of them after {@link #all}). */
    public List<PluginLayers.Plugin> layers() {
        return layers.resolved();
    }

    /** One provider by name, or an error listing the names there are. */
    public <F> F require(Class<F> type, Function<F, String> nameOf, String name, String what) {
        return find(type, nameOf, name).map(Found::provider).orElseThrow(() -> {
            var names = all(type, nameOf).keySet();
            return new BerthException(what + " '" + name + "' is not available: the ones berth has are "
                    + (names.isEmpty() ? "none" : String.join(", ", names))
                    + ". Install its plugin into the plugins folder, or pick one of these");
        });
    }

    /**
     * One provider by name: a built-in one, else the one of the plugin whose index names it (only
     * that plugin and its parents are resolved), else one of the plugins without an index (all of
     * those are resolved, so that a name they share is refused).
     */
    public <F> Optional<Found<F>> find(Class<F> type, Function<F, String> nameOf, String name) {
        var builtIn = builtIns(type, nameOf).get(name);
        var indexed = layers.entries().values().stream().filter(e -> e.indexed() && e.provides(type, name)).toList();
        if (indexed.size() > 1) {
            throw duplicate(name, "plugin " + indexed.get(0).source(), "plugin " + indexed.get(1).source());
        }
        if (builtIn != null && !indexed.isEmpty()) {
            throw duplicate(name, builtIn.source(), "plugin " + indexed.getFirst().source());
        }
        if (builtIn != null) {
            return Optional.of(builtIn);
        }
        if (!indexed.isEmpty()) {
            var plugin = layers.resolve(indexed.getFirst().name());
            var found = providers(plugin, type, nameOf).get(name);
            if (found == null) {
                throw new BerthException("plugin " + plugin.source() + " is indexed as providing " + type.getSimpleName()
                        + " '" + name + "' but has no such provider: its " + PluginIndex.FILE + " is stale; rewrite it"
                        + " (berth plugins --write-index) or delete it");
            }
            return Optional.of(found);
        }
        var result = new TreeMap<String, Found<F>>();
        for (var entry : layers.entries().values()) {
            if (!entry.indexed()) {
                providers(layers.resolve(entry.name()), type, nameOf).forEach((n, f) -> put(result, n, f));
            }
        }
        return Optional.ofNullable(result.get(name));
    }

    /** Every provider of a service by name, with where it came from: resolves every plugin. */
    public <F> Map<String, Found<F>> all(Class<F> type, Function<F, String> nameOf) {
        var result = new TreeMap<String, Found<F>>(builtIns(type, nameOf));
        for (var entry : layers.entries().values()) {
            if (!entry.library()) {
                providers(layers.resolve(entry.name()), type, nameOf).forEach((n, f) -> put(result, n, f));
            }
        }
        return new LinkedHashMap<>(result);
    }

    /**
     * Resolves every plugin folder and writes its index (what it provides, its parents kept), so
     * that later starts resolve only the folders they use. Returns the folders indexed.
     */
    public List<Path> writeIndexes() {
        var written = new ArrayList<Path>();
        for (var entry : layers.entries().values()) {
            if (!java.nio.file.Files.isDirectory(entry.source())) {
                continue;
            }
            var provides = new TreeMap<String, Set<String>>();
            if (!entry.library()) {
                var plugin = layers.resolve(entry.name());
                for (var service : SERVICES) {
                    var names = new TreeSet<>(service.providers(this, plugin).keySet());
                    if (!names.isEmpty()) {
                        provides.put(service.type().getSimpleName(), names);
                    }
                }
            }
            entry.withProvides(provides).write();
            written.add(entry.source());
        }
        return written;
    }

    private <F> Map<String, Found<F>> builtIns(Class<F> type, Function<F, String> nameOf) {
        var result = new TreeMap<String, Found<F>>();
        for (var provider : ServiceLoader.load(type, Plugins.class.getClassLoader())) {
            put(result, nameOf.apply(provider), new Found<>(provider, "built-in module " + moduleName(provider)));
        }
        return result;
    }

    private static <F> Map<String, Found<F>> providers(PluginLayers.Plugin plugin, Class<F> type, Function<F, String> nameOf) {
        var result = new TreeMap<String, Found<F>>();
        ServiceLoader.load(plugin.layer(), type).stream()
                .filter(p -> p.type().getModule().getLayer() == plugin.layer())
                .map(ServiceLoader.Provider::get)
                .forEach(p -> put(result, nameOf.apply(p), new Found<>(p, "plugin " + plugin.source()
                        + " (module " + moduleName(p) + ")")));
        return result;
    }

    private static <F> void put(Map<String, Found<F>> result, String name, Found<F> found) {
        var previous = result.putIfAbsent(name, found);
        if (previous != null && previous.provider().getClass() != found.provider().getClass()) {
            throw duplicate(name, previous.source(), found.source());
        }
    }

    private static BerthException duplicate(String name, String one, String other) {
        return new BerthException("two providers are named '" + name + "': " + one + " and " + other
                + ". Remove one of them from the plugins folder");
    }

    private static String moduleName(Object provider) {
        var module = provider.getClass().getModule();
        return module.isNamed() ? module.getName() : "(class path) " + provider.getClass().getName();
    }

    /** A provider and where it was found. */
    public record Found<F>(F provider, String source) {
    }

    /** A service plugins provide: its SPI factory type, how a provider is named, and what it is called. */
    public record Service<F>(Class<F> type, Function<F, String> nameOf, String what) {
        Map<String, Found<F>> providers(Plugins plugins, PluginLayers.Plugin plugin) {
            return Plugins.providers(plugin, type, nameOf);
        }
    }
}
