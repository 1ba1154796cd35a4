package dev.berth.fs.linux;

import dev.berth.spi.FileSystemDriver;
import dev.berth.spi.FileSystemDriverFactory;
import dev.berth.spi.PluginConfig;

/** The "linux" filesystem driver: mkfs, mount, resize2fs, xfs_growfs and btrfs from the system. */
public final class LinuxFileSystemDriverFactory implements FileSystemDriverFactory {
    @Override
    public String name() {
        return "linux";
    }

    @Override
    public FileSystemDriver create(PluginConfig config) {
        return new LinuxFileSystemDriver(LinuxFsSettings.from(config));
    }
}
