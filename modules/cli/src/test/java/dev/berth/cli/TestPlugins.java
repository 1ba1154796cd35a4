package dev.berth.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A plugins folder with the aws, s3-store and key-passphrase plugins the reactor built ({@code plugins/NAME/target/plugin}). */
final class TestPlugins {
    private TestPlugins() {
    }

    /** A copy of {@code config} whose {@code plugins:} is a folder holding the built aws, s3-store and key-passphrase plugins. */
    static Path withAwsPlugins(Path config) {
        try {
            var dir = Files.createTempDirectory("berth-test-plugins");
            for (var name : new String[] {"aws", "s3-store", "key-passphrase"}) {
                var built = Path.of("../../plugins", name, "target/plugin").toAbsolutePath().normalize();
                if (!Files.isDirectory(built)) {
                    throw new IllegalStateException(built + " is missing: build the plugin first (mvn -pl modules/cli -am"
                            + " package builds it, the cli's test dependency on it orders the reactor)");
                }
                Files.createSymbolicLink(dir.resolve(name), built);
            }
            var copy = dir.resolve("berth.yaml");
            Files.writeString(copy, Files.readString(config) + "\nplugins: " + dir + "\n");
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
