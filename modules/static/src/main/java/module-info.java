/**
 * The bare-metal provider ("static"): a fixed set of machines, directory volumes under a data
 * root, and each instance's liveness a lease in the claim store. A built-in module on berth's
 * module path (see README.md for why it is not a plugin folder), found by name like any plugin.
 */
module dev.berth.statics {
    requires dev.berth.core;
    // the lease record's JSON
    requires io.avaje.jsonb;

    // The provider is found by name through ServiceLoader, exactly like a plugin's.
    provides dev.berth.spi.CloudProviderFactory with dev.berth.statics.StaticCloudProviderFactory;
    provides dev.berth.spi.BlockDevicesFactory with dev.berth.statics.StaticDevicesFactory;
    provides dev.berth.spi.FileSystemDriverFactory with dev.berth.statics.StaticDevicesFactory.Filesystems;
}
