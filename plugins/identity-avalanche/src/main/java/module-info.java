/** Avalanche validator identity: staker.crt / staker.key (the NodeID) and signer.key (BLS). */
module dev.berth.identity.avalanche {
    requires dev.berth.spi;
    requires dev.berth.identity.common;
    requires org.bouncycastle.provider; // RIPEMD-160
    requires org.bouncycastle.pkix;     // X.509 certificate building

    provides dev.berth.spi.IdentityProviderFactory
            with dev.berth.identity.avalanche.AvalancheIdentityProviderFactory;
}
