package dev.berth.cli;

import dev.berth.core.plugin.Plugins;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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

    @Option(names = "--write-index", description = "Resolve every plugin folder and write its berth-plugin.properties"
            + " (what it provides), so that later starts resolve only the folders they use. The image build runs it.")
    boolean writeIndex;

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
        if (writeIndex) {
            try {
                loaded.writeIndexes().forEach(folder -> console.out().println("indexed " + folder.resolve(
                        dev.berth.core.plugin.PluginIndex.FILE)));
            } catch (dev.berth.spi.BerthException e) {
                console.err().println("berth plugins: " + e.getMessage());
                return ExitCodes.FAILED;
            }
            return ExitCodes.OK;
        }
        for (var service : Plugins.SERVICES) {
            list(loaded, service);
        }
        for (var layer : loaded.layers()) {
            console.out().println("layer " + layer.source().getFileName() + ": " + String.join(", ", layer.modules()));
        }
        return ExitCodes.OK;
    }

    private <F> void list(Plugins loaded, Plugins.Service<F> service) {
        try {
            loaded.all(service.type(), service.nameOf()).forEach((n, found) -> console.out().printf("%-18s %-12s %s%n",
                    service.what(), n, found.source()));
        } catch (dev.berth.spi.BerthException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
