package dev.berth.store.etcd;

import dev.berth.spi.ClaimStore;
import dev.berth.spi.ClaimStoreFactory;
import dev.berth.spi.PluginConfig;
import java.net.URI;

/**
 * Opens an etcd claim store for {@code etcd://host:2379[,host2:2379]/prefix?tls=true&user=NAME}.
 * Settings: {@code password} or {@code passwordFile}, {@code caFile}, {@code timeoutMillis}
 * (every call, default 5000), {@code connectTimeoutMillis} (default 3000).
 */
public final class EtcdClaimStoreFactory implements ClaimStoreFactory {

    @Override
    public String scheme() {
        return "etcd";
    }

    @Override
    public ClaimStore open(URI uri, PluginConfig config) {
        return EtcdClaimStore.open(EtcdSettings.parse(uri, config));
    }
}
