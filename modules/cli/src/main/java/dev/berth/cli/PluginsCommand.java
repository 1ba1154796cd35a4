package dev.berth.cli;

import dev.berth.core.plugin.Plugins;
import dev.berth.spi.BlockDevicesFactory;
import dev.berth.spi.ClaimStoreFactory;
import dev.berth.spi.CloudProviderFactory;
import dev.berth.spi.FileSystemDriverFactory;
import dev.berth.spi.IdentityProviderFactory;
import dev.berth.spi.KeyProviderFactory;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth plugins}: what berth can load, and where each provider comes from. */
@Singleton
@Command(name = "plugins", mixinStandardHelpOptions = true,
        description = {"List the providers berth can use, and where each comes from.",
                "Built in, or from a plugin folder (each plugin in its own module layer)."})
final class PluginsCommand implements Callable<Integer> {

    @Option(names = "--plugins", description = "The plugin folder (default: the image's plugins/).")
    Path plugins;

    private final Console console;
    private final BerthHome home;

    PluginsCommand(Console console, BerthHome home) {
        this.console = console;
        this.home = home;
    }

    @Override
    public Integer call() {
        if (plugins != null && !java.nio.file.Files.isDirectory(plugins)) {
            throw new UsageException("plugin folder " + plugins.toAbsolutePath() + (java.nio.file.Files.exists(plugins)
                    ? " is not a directory" : " does not exist") + ": give the folder that holds one sub-folder per plugin"
                    + " (the image's is " + home.plugins().toAbsolutePath() + ")");
        }
        Plugins loaded;
        try {
            loaded = Plugins.load(plugins != null ? plugins : home.plugins());
        } catch (dev.berth.spi.BerthException e) {
            throw new UsageException(e.getMessage());
        }
        list(loaded, "cloud provider", CloudProviderFactory.class, CloudProviderFactory::name);
        list(loaded, "claim store", ClaimStoreFactory.class, ClaimStoreFactory::scheme);
        list(loaded, "block devices", BlockDevicesFactory.class, BlockDevicesFactory::name);
        list(loaded, "filesystem driver", FileSystemDriverFactory.class, FileSystemDriverFactory::name);
        list(loaded, "identity", IdentityProviderFactory.class, IdentityProviderFactory::kind);
        list(loaded, "key provider", KeyProviderFactory.class, KeyProviderFactory::name);
        for (var layer : loaded.layers()) {
            console.out().println("layer " + layer.source().getFileName() + ": " + String.join(", ", layer.modules()));
        }
        return ExitCodes.OK;
    }

    private <F> void list(Plugins loaded, String what, Class<F> type, Function<F, String> name) {
        try {
            loaded.all(type, name).forEach((n, found) -> console.out().printf("%-18s %-12s %s%n", what, n, found.source()));
        } catch (dev.berth.spi.BerthException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
