package dev.berth.spi;

import java.nio.file.Path;
import java.util.Optional;

/** A local block device: its path, its size and, where the bus gives one, its serial. */
public record BlockDevice(Path path, long sizeBytes, Optional<String> serial) {
}
