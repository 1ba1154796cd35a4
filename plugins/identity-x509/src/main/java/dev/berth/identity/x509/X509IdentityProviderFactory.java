package dev.berth.identity.x509;

import dev.berth.spi.IdentityProvider;
import dev.berth.spi.IdentityProviderFactory;
import dev.berth.identity.common.SecureFiles;
import dev.berth.spi.PluginConfig;

/** Kind "x509": a key pair, a self-signed certificate and a CSR for a CA to sign. */
public final class X509IdentityProviderFactory implements IdentityProviderFactory {
    @Override
    public String kind() {
        return X509IdentityProvider.KIND;
    }

    @Override
    public IdentityProvider create(PluginConfig config) {
        config.requireOnly(java.util.Set.of(CertificateSettings.ALGORITHM, CertificateSettings.SUBJECT,
                CertificateSettings.SANS, SecureFiles.OWNER));
        return new X509IdentityProvider(CertificateSettings.from(config), config);
    }
}
