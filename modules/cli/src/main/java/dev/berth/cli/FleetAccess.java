package dev.berth.cli;

import dev.berth.sim.SimProviderFactory;
import dev.berth.core.claim.Calls;
import dev.berth.core.claim.ClaimLog;
import dev.berth.core.claim.Ticker;
import dev.berth.core.fleet.FleetReader;
import dev.berth.sim.LocalFleet;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.CloudProvider;
import java.util.function.Function;

/**
 * Opens what a day-2 command needs from the config: the claim store and the cloud provider
 * (a plugin's, the static one, or a one-node simulated world), and runs {@code use} with them.
 */
final class FleetAccess {
    final ClaimConfig resolved;
    final ClaimStore store;
    final CloudProvider cloud;
    final Calls calls;
    final ClaimLog log;

    private FleetAccess(ClaimConfig resolved, ClaimStore store, CloudProvider cloud, ClaimLog log) {
        this.resolved = resolved;
        this.store = store;
        this.cloud = cloud;
        this.log = log;
        this.calls = new Calls(Ticker.system(), resolved.settings().waits(), log);
    }

    static <T> T with(ClaimConfig resolved, BerthHome home, ClaimLog log, Function<FleetAccess, T> use) {
        var loaded = ClaimCommand.loadPlugins(resolved);
        var factory = ClaimCommand.cloudFactory(loaded, resolved);
        try (var store = ClaimCommand.openStore(loaded, resolved)) {
            if (factory instanceof SimProviderFactory) {
                // the simulated cloud exists only inside a one-node world around the real store
                var settings = resolved.settings();
                return LocalFleet.withCloud(settings, store, resolved.instanceId(), resolved.zone(),
                        settings.capacity().orElse(1), cloud -> use.apply(new FleetAccess(resolved, store, cloud, log)));
            }
            try (var cloud = ClaimCommand.cloudOf(factory, resolved, home, store)) {
                return use.apply(new FleetAccess(resolved, store, cloud, log));
            }
        }
    }

    /** The fleet as status and gc read it: an intent older than an hour (or waits.attachSeconds, if longer) is stale. */
    FleetReader reader() {
        var settings = resolved.settings();
        var waits = settings.waits();
        return new FleetReader(cloud, store, calls, Ticker.system(), new FleetReader.Options(settings.cluster(),
                settings.capacity(), waits.holderGraceMillis(), Math.max(3_600_000, waits.attachMillis())));
    }
}
