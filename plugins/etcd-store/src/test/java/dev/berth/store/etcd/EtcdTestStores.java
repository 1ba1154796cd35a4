package dev.berth.store.etcd;

import dev.berth.spi.ClaimStore;
import dev.berth.spi.PluginConfig;
import dev.berth.store.tck.TestServers;
import java.net.URI;
import java.util.UUID;

/** Opens stores on the test etcd named by BERTH_TEST_ETCD (http://127.0.0.1:PORT). */
final class EtcdTestStores {

    private EtcdTestStores() {
    }

    static ClaimStore open() {
        var endpoint = URI.create(TestServers.require(TestServers.ETCD));
        var uri = URI.create("etcd://" + endpoint.getHost() + ":" + endpoint.getPort() + "/berth-test-"
                + UUID.randomUUID().toString().substring(0, 8));
        return new EtcdClaimStoreFactory().open(uri, PluginConfig.empty("store"));
    }
}
