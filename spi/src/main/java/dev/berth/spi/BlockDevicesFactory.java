package dev.berth.spi;

/** Creates a named {@link BlockDevices} ("linux", "sim", ...). */
public interface BlockDevicesFactory {
    String name();

    BlockDevices create(PluginConfig config);

    /**
     * Creates the provider with what berth hands it ({@link PluginContext}): the claim store, the
     * clock, a logger, berth's home. By default, with its settings only.
     */
    default BlockDevices create(PluginContext context) {
        return create(context.settings());
    }
}
