package dev.berth.statics;

import dev.berth.spi.BlockDevices;
import dev.berth.spi.BlockDevicesFactory;
import dev.berth.spi.FileSystemDriver;
import dev.berth.spi.FileSystemDriverFactory;
import dev.berth.spi.PluginConfig;

/** {@code static} block devices and filesystems: directory volumes, mounted as symbolic links. */
public final class StaticDevicesFactory implements BlockDevicesFactory {

    @Override
    public String name() {
        return StaticCloudProviderFactory.NAME;
    }

    @Override
    public BlockDevices create(PluginConfig config) {
        config.requireOnly(java.util.Set.of());
        return new StaticBlockDevices();
    }

    /** The same directory volumes as a filesystem driver. */
    public static final class Filesystems implements FileSystemDriverFactory {
        @Override
        public String name() {
            return StaticCloudProviderFactory.NAME;
        }

        @Override
        public FileSystemDriver create(PluginConfig config) {
            config.requireOnly(java.util.Set.of());
            return new StaticBlockDevices();
        }
    }
}
