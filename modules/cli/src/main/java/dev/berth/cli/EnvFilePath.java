package dev.berth.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The env file's path, checked before anything is claimed: a path berth cannot write is bad
 * input (exit 2), found before a slot is taken, a volume made or an identity generated.
 */
final class EnvFilePath {
    private EnvFilePath() {
    }

    static void check(Path envFile) {
        var file = envFile.toAbsolutePath().normalize();
        if (Files.isDirectory(file)) {
            throw new UsageException("envFile " + file + " is a directory: give the path of the file to write"
                    + " (for example " + file.resolve("berth.env") + ")");
        }
        var parent = file.getParent();
        if (parent == null || !Files.exists(parent)) {
            throw new UsageException("envFile " + file + ": its directory " + parent + " does not exist: create it"
                    + " (mkdir -p " + parent + ") or give another path");
        }
        if (!Files.isDirectory(parent)) {
            throw new UsageException("envFile " + file + ": " + parent + " is not a directory: give a path inside a"
                    + " directory");
        }
        if (!Files.isWritable(parent)) {
            throw new UsageException("envFile " + file + ": its directory " + parent + " is not writable by this user:"
                    + " run berth as a user that may write there, or give another path");
        }
    }
}
