/**
 * The etcd claim store (scheme {@code etcd://}), on etcd's v3 JSON gateway through a small blocking
 * HTTP/1.1 client of its own (GatewayConnections): no gRPC, no netty, no java.net.http. Loaded into its own
 * plugin layer.
 */
module dev.berth.store.etcd {
    requires dev.berth.spi;
    // avaje's streaming JSON (the reader/writer under avaje-jsonb), no reflection
    requires io.avaje.json;

    provides dev.berth.spi.ClaimStoreFactory with dev.berth.store.etcd.EtcdClaimStoreFactory;
}
