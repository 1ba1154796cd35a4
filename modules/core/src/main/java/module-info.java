/**
 * The claim protocol, the slot record, the local file claim store and plugin loading.
 * No reflection: slot records are (de)serialised by adapters that avaje-jsonb generates
 * at compile time.
 */
// "module": the modules named in the qualified exports are not on core's own module path.
@SuppressWarnings("module")
module dev.berth.core {
    requires transitive dev.berth.spi;
    requires io.avaje.jsonb;

    // Each package only to the modules whose production code uses it. Tests that reach further
    // (the file store, or core from the property tests) get --add-exports in their module's pom.
    exports dev.berth.core.claim to dev.berth.cli, dev.berth.sim, dev.berth.statics;
    exports dev.berth.core.slot to dev.berth.cli, dev.berth.sim, dev.berth.statics;
    exports dev.berth.core.plugin to dev.berth.cli, dev.berth.sim, dev.berth.statics;
    exports dev.berth.core.identity to dev.berth.cli;
    exports dev.berth.core.fleet to dev.berth.cli, dev.berth.sim;
    exports dev.berth.core.host to dev.berth.cli, dev.berth.statics;
    // dev.berth.core.store is not exported: the file store is found through ServiceLoader.

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
