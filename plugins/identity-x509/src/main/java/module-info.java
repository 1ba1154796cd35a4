/** X.509 node identity: node.key, node.crt (self-signed) and node.csr, named by the subject. */
module dev.berth.identity.x509 {
    requires dev.berth.spi;
    requires dev.berth.identity.common;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix; // certificate and CSR building

    provides dev.berth.spi.IdentityProviderFactory with dev.berth.identity.x509.X509IdentityProviderFactory;
}
