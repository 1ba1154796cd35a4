/**
 * The ClaimStore contract test kit. A store's test class extends
 * {@link dev.berth.store.tck.ClaimStoreContract}; {@link dev.berth.store.tck.LinearizabilityRace}
 * can also be run on its own.
 */
module dev.berth.store.tck {
    requires transitive dev.berth.spi;
    requires transitive org.junit.jupiter.api;

    exports dev.berth.store.tck;
    // JUnit discovers and runs the contract's @Test methods reflectively in subclasses.
    opens dev.berth.store.tck to org.junit.platform.commons;
}
