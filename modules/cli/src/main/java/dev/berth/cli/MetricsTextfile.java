package dev.berth.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The node_exporter textfile ({@code metrics.textfile}) that claim, keeper and snapshot share. Each command owns
 * the families whose names start with its prefixes and replaces only those, keeping the others' as they are;
 * the file is written whole to a temporary file beside it ({@code .NAME.PID.tmp}, which the collector ignores) and
 * renamed over it, so the collector never reads half a file. A lock file ({@code .NAME.lock}) orders the
 * commands' read-modify-write. Failing to write is a log line, never a failed claim.
 */
final class MetricsTextfile {
    private final Path file;
    private final CommandLog log;

    MetricsTextfile(Path file, CommandLog log) {
        this.file = file;
        this.log = log;
    }

    /** The value of the first sample called {@code name} in the file as it is, if any (a timestamp kept across runs). */
    Optional<Double> previous(String name) {
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            for (var line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                    var parts = line.trim().split(" ");
                    return Optional.of(Double.parseDouble(parts[parts.length - 1]));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Replaces the families whose names start with one of {@code owned} by {@code families}; keeps every other one. */
    void publish(List<String> owned, MetricFamilies families) {
        var lock = file.resolveSibling("." + file.getFileName() + ".lock");
        var temporary = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try (var channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             var ignored = channel.lock()) {
            var kept = Files.exists(file) ? others(Files.readAllLines(file, StandardCharsets.UTF_8), owned) : "";
            Files.writeString(temporary, kept + families.text(), StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            log.info("could not write the metrics to metrics.textfile " + file + " (" + e.getMessage() + "); check that"
                    + " its directory is writable by this user; the command goes on");
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // nothing more to do: the next run writes it again
            }
        }
    }

    /** The lines of every family no prefix of {@code owned} names, each family whole (its HELP, TYPE and samples). */
    static String others(List<String> lines, List<String> owned) {
        var out = new StringBuilder();
        boolean keep = true;
        String family = null;
        for (var line : lines) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                var name = line.substring(7).split(" ", 2)[0];
                if (!name.equals(family)) {
                    family = name;
                    keep = owned.stream().noneMatch(name::startsWith);
                }
            } else if (!line.startsWith("#") && !line.isBlank() && family == null) {
                keep = false;   // samples before any HELP or TYPE: not a file berth wrote; leave them out
            }
            if (keep && !line.isBlank()) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }
}
