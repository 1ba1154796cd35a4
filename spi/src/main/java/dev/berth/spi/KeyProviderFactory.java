package dev.berth.spi;

/** Creates a named {@link KeyProvider} ("passphrase", "kms", "sim"). */
public interface KeyProviderFactory {
    String name();

    KeyProvider create(PluginConfig config);
}
