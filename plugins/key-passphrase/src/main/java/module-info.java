/** Key provider "passphrase": data keys wrapped under a key derived from a passphrase file. */
module dev.berth.key.passphrase {
    requires dev.berth.spi;
    requires dev.berth.identity.common; // the private-file permission check
    requires org.bouncycastle.provider; // Argon2id

    provides dev.berth.spi.KeyProviderFactory with dev.berth.key.passphrase.PassphraseKeyProviderFactory;
}
