package dev.berth.store.etcd;

import dev.berth.spi.ClaimStore;
import dev.berth.store.tck.ClaimStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract and the 16 x 200 race on a real etcd. */
class EtcdClaimStoreContractTest extends ClaimStoreContract {
    private static ClaimStore store;

    @BeforeAll
    static void openStore() {
        store = EtcdTestStores.open();
    }

    @AfterAll
    static void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Override
    protected ClaimStore store() {
        return store;
    }
}
