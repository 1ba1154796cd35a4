package dev.berth.core.store;

import dev.berth.spi.ClaimStore;
import dev.berth.store.tck.ClaimStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The local file store keeps the store contract, and wins the 16-thread race with one winner per epoch. */
class FileClaimStoreContractTest extends ClaimStoreContract {
    @TempDir
    static Path dir;
    private static ClaimStore store;

    @Override
    protected ClaimStore store() {
        if (store == null) {
            store = FileClaimStore.open(dir.resolve("store"));
        }
        return store;
    }
}
