package dev.berth.store.s3;

import dev.berth.spi.ClaimStore;
import dev.berth.store.tck.ClaimStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract and the 16 x 200 race on moto's S3, served single-threaded. */
class MotoS3ClaimStoreContractTest extends ClaimStoreContract {
    private static ClaimStore store;

    @BeforeAll
    static void openStore() {
        store = S3TestServers.MOTO.open();
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
