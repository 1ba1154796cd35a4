package dev.berth.fs.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the kernel tells about a block device under {@code <sysRoot>}: its size in 512-byte
 * sectors, its serial, its model and its major:minor numbers. Works for disks
 * ({@code block/<name>}) and partitions ({@code class/block/<name>}).
 */
final class SysBlock {
    static final long SECTOR_BYTES = 512;

    private final Path sysRoot;

    SysBlock(Path sysRoot) {
        this.sysRoot = sysRoot;
    }

    Path blockDir() {
        return sysRoot.resolve("block");
    }

    OptionalLong sizeBytes(String name) {
        return attribute(name, "size").map(String::trim).flatMap(SysBlock::parseLong)
                .map(sectors -> OptionalLong.of(sectors * SECTOR_BYTES)).orElse(OptionalLong.empty());
    }

    Optional<String> serial(String name) {
        return attribute(name, "device/serial").map(String::trim).filter(s -> !s.isEmpty());
    }

    Optional<String> model(String name) {
        return attribute(name, "device/model").map(String::trim).filter(s -> !s.isEmpty());
    }

    /** "259:1", as mountinfo names a device. */
    Optional<String> majorMinor(String name) {
        return attribute(name, "dev").map(String::trim).filter(s -> !s.isEmpty());
    }

    boolean knows(String name) {
        return Files.isDirectory(blockDir().resolve(name)) || Files.isDirectory(sysRoot.resolve("class/block").resolve(name));
    }

    private Optional<String> attribute(String name, String attribute) {
        for (var dir : new Path[] {blockDir().resolve(name), sysRoot.resolve("class/block").resolve(name)}) {
            var file = dir.resolve(attribute);
            if (Files.isReadable(file)) {
                try {
                    return Optional.of(Files.readString(file, StandardCharsets.US_ASCII));
                } catch (IOException | RuntimeException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Long> parseLong(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
