/**
 * The etcd claim store (scheme {@code etcd://}), on etcd's v3 JSON gateway through
 * {@code java.net.http}: no gRPC, no netty. Loaded into its own plugin layer.
 */
module dev.berth.store.etcd {
    requires dev.berth.spi;
    requires java.net.http;
    // avaje's streaming JSON (the reader/writer under avaje-jsonb), no reflection
    requires io.avaje.json;

    provides dev.berth.spi.ClaimStoreFactory with dev.berth.store.etcd.EtcdClaimStoreFactory;
}
