package dev.berth.store.tck;

import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Loads a store plugin the way berth does: its jars (and the spi) as one module layer with one
 * loader over the platform loader, every module of the folder a root, so nothing leaks in from the test's class path; finds the
 * {@code ClaimStoreFactory} for a scheme with {@code ServiceLoader.load(layer, ...)}, keeping only
 * providers of that layer; opens the store and writes and reads one key. Everything is called
 * reflectively, since the layer's spi classes are not the test's.
 */
public final class PluginLayerProbe {

    private PluginLayerProbe() {
    }

    /** What the probe saw: the layer's module count, the store's describe(), the value read back. */
    public record Outcome(int modules, String providerModule, String describe, String writeResult, String readBack) {
    }

    public static Outcome run(List<Path> modulePath, String pluginModule, URI uri, Map<String, String> settings) throws Exception {
        var finder = ModuleFinder.of(modulePath.toArray(Path[]::new));
        var boot = ModuleLayer.boot();
        // every module of the folder is a root: automatic modules (jetcd, the AWS SDK) have no
        // requires, so the explicit modules they use (guava, netty, vert.x) would not be resolved
        Set<String> roots = finder.findAll().stream().map(m -> m.descriptor().name()).collect(Collectors.toSet());
        Configuration configuration = boot.configuration().resolveAndBind(finder, ModuleFinder.of(), roots);
        var layer = boot.defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
        ClassLoader loader = layer.findLoader(pluginModule);
        Class<?> factoryType = loader.loadClass("dev.berth.spi.ClaimStoreFactory");
        Object factory = null;
        String providerModule = null;
        for (var provider : ServiceLoader.load(layer, factoryType).stream().toList()) {
            if (provider.type().getModule().getLayer() != layer) {
                continue;
            }
            Object candidate = provider.get();
            if (uri.getScheme().equals(factoryType.getMethod("scheme").invoke(candidate))) {
                if (factory != null) {
                    throw new IllegalStateException("two providers for scheme " + uri.getScheme());
                }
                factory = candidate;
                providerModule = provider.type().getModule().getName();
            }
        }
        if (factory == null) {
            throw new IllegalStateException("no ClaimStoreFactory for scheme '" + uri.getScheme() + "' in the layer of "
                    + pluginModule);
        }
        Class<?> configType = loader.loadClass("dev.berth.spi.PluginConfig");
        Object config = configType.getConstructor(String.class, Map.class).newInstance("store", settings);
        Object store = factoryType.getMethod("open", URI.class, configType).invoke(factory, uri, config);
        Class<?> storeType = loader.loadClass("dev.berth.spi.ClaimStore");
        try {
            String key = "layer-probe/" + UUID.randomUUID();
            Object written = method(storeType, "putIfAbsent", String.class, byte[].class)
                    .invoke(store, key, "from the plugin layer".getBytes(StandardCharsets.UTF_8));
            Optional<?> read = (Optional<?>) method(storeType, "get", String.class).invoke(store, key);
            String back = read.map(v -> {
                try {
                    return new String((byte[]) v.getClass().getMethod("value").invoke(v), StandardCharsets.UTF_8);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }).orElse("<missing>");
            if (read.isPresent()) {
                String version = (String) read.get().getClass().getMethod("version").invoke(read.get());
                method(storeType, "deleteIfVersion", String.class, String.class).invoke(store, key, version);
            }
            return new Outcome(layer.modules().size(), providerModule, (String) method(storeType, "describe").invoke(store),
                    written.getClass().getSimpleName(), back);
        } finally {
            method(storeType, "close").invoke(store);
        }
    }

    private static Method method(Class<?> type, String name, Class<?>... parameters) throws NoSuchMethodException {
        return type.getMethod(name, parameters);
    }
}
