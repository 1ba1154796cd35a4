package dev.berth.fs.linux;

import dev.berth.spi.DeviceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Finds a {@link Tool} on the configured search path, or says which package installs it. */
final class ToolLocator {
    private final List<Path> directories;

    ToolLocator(List<Path> directories) {
        this.directories = List.copyOf(directories);
    }

    Optional<Path> find(Tool tool) {
        return directories.stream()
                .map(dir -> dir.resolve(tool.command()))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p))
                .findFirst();
    }

    Path require(Tool tool, String purpose) {
        return find(tool).orElseThrow(() -> new DeviceException("the tool '" + tool.command() + "' is needed to "
                + purpose + " but was not found in " + directories + "; install the Debian package "
                + tool.debianPackage() + " (apt-get install " + tool.debianPackage().split(" ")[0]
                + ") or set the plugin's 'toolPath'"));
    }
}
