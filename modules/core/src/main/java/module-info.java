/**
 * The claim protocol, the slot record, the local file claim store and plugin loading.
 * No reflection: slot records are (de)serialised by adapters that avaje-jsonb generates
 * at compile time.
 */
module dev.berth.core {
    requires transitive dev.berth.spi;
    requires io.avaje.jsonb;

    exports dev.berth.core.claim;
    exports dev.berth.core.slot;
    exports dev.berth.core.plugin;
    exports dev.berth.core.identity;
    exports dev.berth.core.store;
    exports dev.berth.core.fleet;
    exports dev.berth.core.host;

    // The generated JSON adapters for the slot record, found by avaje-jsonb through this line.
    provides io.avaje.jsonb.spi.JsonbExtension with dev.berth.core.slot.jsonb.GeneratedJsonComponent;
    // The embedded default store: file:///var/lib/berth/store
    provides dev.berth.spi.ClaimStoreFactory with dev.berth.core.store.FileClaimStoreFactory;

    uses dev.berth.spi.CloudProviderFactory;
    uses dev.berth.spi.ClaimStoreFactory;
    uses dev.berth.spi.BlockDevicesFactory;
    uses dev.berth.spi.FileSystemDriverFactory;
    uses dev.berth.spi.IdentityProviderFactory;
    uses dev.berth.spi.KeyProviderFactory;
}
