package dev.berth.spi;

/** Creates a named, configured {@link CloudProvider} ("aws", "static", "sim", ...). */
public interface CloudProviderFactory {
    String name();

    CloudProvider create(PluginConfig config);

    /**
     * Creates the provider with what berth hands it ({@link PluginContext}): the claim store, the
     * clock, a logger, berth's home. By default, with its settings only.
     */
    default CloudProvider create(PluginContext context) {
        return create(context.settings());
    }
}
