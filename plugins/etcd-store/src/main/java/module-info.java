/**
 * The etcd claim store (scheme {@code etcd://}). Loaded into its own plugin layer, so jetcd's
 * gRPC, vert.x and netty never meet the core or another plugin.
 */
module dev.berth.store.etcd {
    requires dev.berth.spi;
    // jetcd 0.8.7 ships plain jars without Automatic-Module-Name: these are the names the
    // module system derives from the file names jetcd-core-0.8.7.jar and jetcd-common-0.8.7.jar.
    // In the plugin layer, resolving them pulls in every other automatic module of the folder
    // (grpc, protobuf, vert.x grpc), and those read all named modules (netty, jackson).
    requires jetcd.core;
    requires jetcd.common;
    // netty's SslContextBuilder, for a private CA (caFile)
    requires io.netty.handler;

    provides dev.berth.spi.ClaimStoreFactory with dev.berth.store.etcd.EtcdClaimStoreFactory;
}
