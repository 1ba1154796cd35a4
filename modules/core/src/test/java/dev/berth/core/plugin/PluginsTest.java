package dev.berth.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.BerthException;
import dev.berth.spi.ClaimStoreFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginsTest {

    private static String names(Plugins plugins) {
        return plugins.layers().stream().map(p -> p.source().getFileName().toString()).toList().toString();
    }

    private static void index(Path folder, String... lines) throws Exception {
        Files.writeString(folder.resolve(PluginIndex.FILE), String.join("\n", lines) + "\n");
    }

    @Test
    void theSameNameFromTwoPluginsIsRefusedNamingBoth(@TempDir Path dir) throws Exception {
        var plugins = dir.resolve("plugins");
        TinyPlugins.store(dir, plugins.resolve("one/one.jar"), "tiny.one", "tiny", null);
        TinyPlugins.store(dir, plugins.resolve("two/two.jar"), "tiny.two", "tiny", null);
        var e = assertThrows(BerthException.class, () -> Plugins.load(plugins)
                .find(ClaimStoreFactory.class, ClaimStoreFactory::scheme, "tiny"));
        assertTrue(e.getMessage().contains("two providers are named 'tiny'") && e.getMessage().contains("one")
                && e.getMessage().contains("two"), e.getMessage());

        // indexed, the clash is found from the indexes alone
        index(plugins.resolve("one"), "ClaimStoreFactory=tiny");
        index(plugins.resolve("two"), "ClaimStoreFactory=tiny");
        var loaded = Plugins.load(plugins);
        var indexed = assertThrows(BerthException.class, () -> loaded.find(ClaimStoreFactory.class,
                ClaimStoreFactory::scheme, "tiny"));
        assertTrue(indexed.getMessage().contains("plugins/one") && indexed.getMessage().contains("plugins/two"),
                indexed.getMessage());
        assertEquals("[]", names(loaded), "nothing resolved to find the clash");
    }

    @Test
    void aBuiltInNameOfferedByAPluginIsRefused(@TempDir Path dir) throws Exception {
        var plugins = dir.resolve("plugins");
        TinyPlugins.store(dir, plugins.resolve("fake/fake.jar"), "tiny.fake", "file", null);
        var e = assertThrows(BerthException.class, () -> Plugins.load(plugins).all(ClaimStoreFactory.class,
                ClaimStoreFactory::scheme));
        assertTrue(e.getMessage().contains("'file'") && e.getMessage().contains("built-in"), e.getMessage());
    }

    @Test
    void onlyTheIndexedPluginThatProvidesTheNameIsResolved(@TempDir Path dir) throws Exception {
        var plugins = dir.resolve("plugins");
        TinyPlugins.store(dir, plugins.resolve("alpha/alpha.jar"), "tiny.alpha", "alpha", null);
        TinyPlugins.store(dir, plugins.resolve("beta/beta.jar"), "tiny.beta", "beta", null);
        assertEquals(2, Plugins.load(plugins).writeIndexes().size());
        assertEquals(Map.of("ClaimStoreFactory", Set.of("beta")), PluginIndex.read(plugins.resolve("beta")).provides());

        var loaded = Plugins.load(plugins);
        assertTrue(loaded.find(ClaimStoreFactory.class, ClaimStoreFactory::scheme, "file").isPresent());
        assertEquals("[]", names(loaded), "a built-in name resolves no plugin");
        var beta = loaded.find(ClaimStoreFactory.class, ClaimStoreFactory::scheme, "beta").orElseThrow();
        assertTrue(beta.source().contains("beta"), beta.source());
        assertEquals("[beta]", names(loaded));
        assertTrue(loaded.find(ClaimStoreFactory.class, ClaimStoreFactory::scheme, "gamma").isEmpty());
        assertEquals("[beta]", names(loaded), "with every folder indexed, an unknown name resolves nothing more");
    }

    @Test
    void aPluginWithoutAnIndexIsResolvedWhenNoIndexedPluginAnswers(@TempDir Path dir) throws Exception {
        var plugins = dir.resolve("plugins");
        TinyPlugins.store(dir, plugins.resolve("alpha/alpha.jar"), "tiny.alpha", "alpha", null);
        index(plugins.resolve("alpha"), "ClaimStoreFactory=alpha");
        TinyPlugins.store(dir, plugins.resolve("third-party.jar"), "tiny.third", "third", null);

        var loaded = Plugins.load(plugins);
        assertTrue(loaded.find(ClaimStoreFactory.class, ClaimStoreFactory::scheme, "alpha").isPresent());
        assertEquals("[alpha]", names(loaded));
        var third = loaded.find(ClaimStoreFactory.class, ClaimStoreFactory::scheme, "third").orElseThrow();
        assertTrue(third.source().contains("third-party.jar"), third.source());
        assertEquals("[alpha, third-party.jar]", names(loaded));
    }

    @Test
    void aSharedLibraryIsOneParentLayerOfThePluginsThatNameIt(@TempDir Path dir) throws Exception {
        var plugins = dir.resolve("plugins");
        var lib = TinyPlugins.library(dir, plugins.resolve("shared/tiny-lib.jar"));
        TinyPlugins.store(dir, plugins.resolve("x/x.jar"), "tiny.x", "x", lib);
        TinyPlugins.store(dir, plugins.resolve("y/y.jar"), "tiny.y", "y", lib);
        index(plugins.resolve("shared"), "library=true");
        index(plugins.resolve("x"), "parents=shared");
        index(plugins.resolve("y"), "parents=shared");
        Plugins.load(plugins).writeIndexes();
        assertEquals(List.of("shared"), PluginIndex.read(plugins.resolve("x")).parents(), "the index keeps its parents");

        var loaded = Plugins.load(plugins);
        var x = loaded.find(ClaimStoreFactory.class, ClaimStoreFactory::scheme, "lib-x").orElseThrow().provider();
        var y = loaded.find(ClaimStoreFactory.class, ClaimStoreFactory::scheme, "lib-y").orElseThrow().provider();
        assertEquals("[shared, x, y]", names(loaded));
        var libModule = x.getClass().getModule().getLayer().parents().getFirst().findModule("tiny.lib").orElseThrow();
        assertEquals(libModule, y.getClass().getModule().getLayer().parents().getFirst().findModule("tiny.lib").orElseThrow(),
                "one tiny.lib for both");
        assertTrue(x.getClass().getModule().getLayer().findModule("tiny.lib").orElseThrow() == libModule);
    }

    @Test
    void aStaleIndexOrAMissingParentSaysWhatToDo(@TempDir Path dir) throws Exception {
        var plugins = dir.resolve("plugins");
        TinyPlugins.store(dir, plugins.resolve("alpha/alpha.jar"), "tiny.alpha", "alpha", null);
        index(plugins.resolve("alpha"), "ClaimStoreFactory=alpha,omega");
        var stale = assertThrows(BerthException.class, () -> Plugins.load(plugins)
                .find(ClaimStoreFactory.class, ClaimStoreFactory::scheme, "omega"));
        assertTrue(stale.getMessage().contains("stale") && stale.getMessage().contains("--write-index"), stale.getMessage());

        index(plugins.resolve("alpha"), "parents=crypto");
        var missing = assertThrows(BerthException.class, () -> Plugins.load(plugins));
        assertTrue(missing.getMessage().contains("parent 'crypto'") && missing.getMessage().contains("does not exist"),
                missing.getMessage());
    }
}
