package dev.berth.fs.linux;

import dev.berth.spi.BlockDevices;
import dev.berth.spi.BlockDevicesFactory;
import dev.berth.spi.PluginConfig;

/** The "linux" block devices: /sys and /dev (settings sysRoot, devRoot). */
public final class LinuxBlockDevicesFactory implements BlockDevicesFactory {
    @Override
    public String name() {
        return "linux";
    }

    @Override
    public BlockDevices create(PluginConfig config) {
        return new LinuxBlockDevices(LinuxFsSettings.from(config));
    }
}
