/** Ethereum devp2p node identity: the hex {@code nodekey} file geth reads, named by its enode id. */
module dev.berth.identity.ethereum {
    requires dev.berth.spi;
    requires dev.berth.identity.common;
    requires org.bouncycastle.provider; // secp256k1 (the JDK no longer has it)

    provides dev.berth.spi.IdentityProviderFactory
            with dev.berth.identity.ethereum.EthereumIdentityProviderFactory;
}
