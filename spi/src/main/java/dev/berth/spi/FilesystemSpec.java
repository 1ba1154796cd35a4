package dev.berth.spi;

import java.util.List;
import java.util.Optional;

/** The filesystem to make: its type ("ext4", "xfs"), extra mkfs arguments and a label. */
public record FilesystemSpec(String type, List<String> mkfsArguments, Optional<String> label) {

    public FilesystemSpec {
        mkfsArguments = List.copyOf(mkfsArguments);
    }
}
