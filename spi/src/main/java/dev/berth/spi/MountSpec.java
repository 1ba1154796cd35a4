package dev.berth.spi;

import java.nio.file.Path;
import java.util.List;

/** Where and how to mount: the mount point, the filesystem type and mount options ("noatime"). */
public record MountSpec(Path mountPoint, String filesystemType, List<String> options) {

    public MountSpec {
        options = List.copyOf(options);
    }
}
