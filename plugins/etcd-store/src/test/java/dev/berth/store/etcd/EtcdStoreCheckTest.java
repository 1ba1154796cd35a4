package dev.berth.store.etcd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.storecheck.StoreCheck;
import org.junit.jupiter.api.Test;

class EtcdStoreCheckTest {

    @Test
    void storeCheckSaysEtcdIsSafeAndCleansUp() {
        try (var store = EtcdTestStores.open()) {
            var report = StoreCheck.run(store, "scratch/", 20, 20);
            System.out.println("[EtcdStoreCheckTest] " + report.summary());
            assertTrue(report.safe(), report.summary());
            assertTrue(store.list("scratch/").isEmpty(), "store check must leave nothing behind");
        }
    }
}
