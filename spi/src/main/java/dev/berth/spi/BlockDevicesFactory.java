package dev.berth.spi;

/** Creates a named {@link BlockDevices} ("linux", "sim", ...). */
public interface BlockDevicesFactory {
    String name();

    BlockDevices create(PluginConfig config);
}
