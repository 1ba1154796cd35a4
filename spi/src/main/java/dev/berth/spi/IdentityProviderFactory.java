package dev.berth.spi;

/** Creates an {@link IdentityProvider} for one kind of identity ("avalanche", "ethereum", "x509"). */
public interface IdentityProviderFactory {
    String kind();

    IdentityProvider create(PluginConfig config);

    /**
     * Creates the provider with what berth hands it ({@link PluginContext}): the claim store, the
     * clock, a logger, berth's home. By default, with its settings only.
     */
    default IdentityProvider create(PluginContext context) {
        return create(context.settings());
    }
}
