package dev.berth.spi;

/** Creates a named, configured {@link CloudProvider} ("aws", "static", "sim", ...). */
public interface CloudProviderFactory {
    String name();

    CloudProvider create(PluginConfig config);
}
