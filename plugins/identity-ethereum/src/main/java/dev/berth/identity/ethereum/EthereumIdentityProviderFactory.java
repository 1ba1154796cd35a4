package dev.berth.identity.ethereum;

import dev.berth.spi.IdentityProvider;
import dev.berth.spi.IdentityProviderFactory;
import dev.berth.identity.common.SecureFiles;
import dev.berth.spi.PluginConfig;

/** Kind "ethereum": geth's {@code nodekey}. */
public final class EthereumIdentityProviderFactory implements IdentityProviderFactory {
    @Override
    public String kind() {
        return EthereumIdentityProvider.KIND;
    }

    @Override
    public IdentityProvider create(PluginConfig config) {
        config.requireOnly(java.util.Set.of(SecureFiles.OWNER));
        return new EthereumIdentityProvider(config);
    }
}
