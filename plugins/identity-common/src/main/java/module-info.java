/**
 * Shared code for the identity plugins: atomic private file writes, permission checks,
 * PEM parsing, fingerprints and the load/generate/export/restore protocol every
 * file-based identity follows. A library, not a plugin: it provides no service.
 */
module dev.berth.identity.common {
    // IdentityException and the SPI types appear in this module's API.
    requires transitive dev.berth.spi;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;

    exports dev.berth.identity.common;
}
