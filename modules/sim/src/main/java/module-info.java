/**
 * The simulated world: zones, instances, an autoscaling group, EBS volumes, a linearizable
 * store and a deterministic scheduler, all on a virtual clock driven by one seeded random
 * source. Simulated nodes run the real claim protocol of dev.berth.core.
 */
module dev.berth.sim {
    requires transitive dev.berth.core;

    requires io.avaje.jsonb;

    exports dev.berth.sim;

    // berth claim --provider sim, found by name like any provider.
    provides dev.berth.spi.CloudProviderFactory with dev.berth.sim.SimProviderFactory;
    // The generated JSON adapters of the simulation report.
    provides io.avaje.jsonb.spi.JsonbExtension with dev.berth.sim.jsonb.GeneratedJsonComponent;
}
