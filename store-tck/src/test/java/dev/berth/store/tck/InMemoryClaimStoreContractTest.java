package dev.berth.store.tck;

import dev.berth.spi.ClaimStore;

/** The kit checks itself: a correct in-memory store passes the whole contract. */
class InMemoryClaimStoreContractTest extends ClaimStoreContract {
    private final ClaimStore store = new FaultyClaimStore(FaultyClaimStore.Mode.ATOMIC);

    @Override
    protected ClaimStore store() {
        return store;
    }
}
