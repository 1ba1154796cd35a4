package dev.berth.spi;

/** Creates an {@link IdentityProvider} for one kind of identity ("avalanche", "ethereum", "x509"). */
public interface IdentityProviderFactory {
    String kind();

    IdentityProvider create(PluginConfig config);
}
