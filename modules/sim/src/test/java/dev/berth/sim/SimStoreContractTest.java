package dev.berth.sim;

import dev.berth.spi.ClaimStore;
import dev.berth.store.tck.ClaimStoreContract;

/** The simulator's in-memory store keeps the same contract as the real ones. */
class SimStoreContractTest extends ClaimStoreContract {
    private static final ClaimStore STORE = new SimStore();

    @Override
    protected ClaimStore store() {
        return STORE;
    }
}
