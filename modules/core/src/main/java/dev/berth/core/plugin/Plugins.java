package dev.berth.core.plugin;

import dev.berth.spi.BerthException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The providers berth can use: the built-in ones (on berth's own module path) and those of
 * each plugin layer. A name provided twice is refused with a message naming both sources.
 */
public final class Plugins {
    private final List<PluginLayers.Plugin> layers;

    private Plugins(List<PluginLayers.Plugin> layers) {
        this.layers = List.copyOf(layers);
    }

    /** Built-ins only. */
    public static Plugins builtIn() {
        return new Plugins(List.of());
    }

    /** Built-ins and every plugin under {@code pluginsDir}, each in its own layer above berth's. */
    public static Plugins load(Path pluginsDir) {
        var parent = Plugins.class.getModule().getLayer() != null ? Plugins.class.getModule().getLayer() : ModuleLayer.boot();
        return new Plugins(PluginLayers.load(pluginsDir, parent));
    }

    public List<PluginLayers.Plugin> layers() {
        return layers;
    }

    /** One provider by name, or an error listing the names there are. */
    public <F> F require(Class<F> type, Function<F, String> nameOf, String name, String what) {
        var all = all(type, nameOf);
        var found = all.get(name);
        if (found == null) {
            throw new BerthException(what + " '" + name + "' is not available: the ones berth has are "
                    + (all.isEmpty() ? "none" : String.join(", ", all.keySet()))
                    + ". Install its plugin into the plugins folder, or pick one of these");
        }
        return found.provider();
    }

    /** Every provider of a service by name, with where it came from. */
    public <F> Map<String, Found<F>> all(Class<F> type, Function<F, String> nameOf) {
        var result = new TreeMap<String, Found<F>>();
        var builtIn = new ArrayList<Found<F>>();
        for (var provider : ServiceLoader.load(type, Plugins.class.getClassLoader())) {
            builtIn.add(new Found<>(provider, "built-in module " + moduleName(provider)));
        }
        for (var found : builtIn) {
            put(result, nameOf.apply(found.provider()), found);
        }
        for (var plugin : layers) {
            ServiceLoader.load(plugin.layer(), type).stream()
                    .filter(p -> p.type().getModule().getLayer() == plugin.layer())
                    .map(ServiceLoader.Provider::get)
                    .forEach(p -> put(result, nameOf.apply(p), new Found<>(p, "plugin " + plugin.source()
                            + " (module " + moduleName(p) + ")")));
        }
        return new LinkedHashMap<>(result);
    }

    private static <F> void put(Map<String, Found<F>> result, String name, Found<F> found) {
        var previous = result.putIfAbsent(name, found);
        if (previous != null && previous.provider().getClass() != found.provider().getClass()) {
            throw new BerthException("two providers are named '" + name + "': " + previous.source() + " and "
                    + found.source() + ". Remove one of them from the plugins folder");
        }
    }

    private static String moduleName(Object provider) {
        var module = provider.getClass().getModule();
        return module.isNamed() ? module.getName() : "(class path) " + provider.getClass().getName();
    }

    /** A provider and where it was found. */
    public record Found<F>(F provider, String source) {
    }
}
