package dev.berth.identity.avalanche;

import dev.berth.spi.IdentityProvider;
import dev.berth.spi.IdentityProviderFactory;
import dev.berth.identity.common.SecureFiles;
import dev.berth.spi.PluginConfig;

/** Kind "avalanche": the files avalanchego reads from its staking directory. */
public final class AvalancheIdentityProviderFactory implements IdentityProviderFactory {
    @Override
    public String kind() {
        return AvalancheIdentityProvider.KIND;
    }

    @Override
    public IdentityProvider create(PluginConfig config) {
        config.requireOnly(java.util.Set.of(AvalancheIdentityProvider.TLS_KEY_ALGORITHM, SecureFiles.OWNER));
        return new AvalancheIdentityProvider(config);
    }
}
