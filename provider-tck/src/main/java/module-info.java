/**
 * The CloudProvider contract test kit. A provider's test class extends
 * {@link dev.berth.provider.tck.CloudProviderContract}.
 */
module dev.berth.provider.tck {
    requires transitive dev.berth.spi;
    requires transitive org.junit.jupiter.api;

    exports dev.berth.provider.tck;
    // JUnit discovers and runs the contract's @Test methods reflectively in subclasses.
    opens dev.berth.provider.tck to org.junit.platform.commons;
}
