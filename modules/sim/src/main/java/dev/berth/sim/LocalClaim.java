package dev.berth.sim;

import dev.berth.core.claim.CasSlotSelection;
import dev.berth.core.claim.ClaimException;
import dev.berth.core.claim.ClaimLog;
import dev.berth.core.claim.ClaimOutcome;
import dev.berth.core.claim.ClaimSettings;
import dev.berth.core.claim.EnvFileWriter;
import dev.berth.spi.BerthException;
import dev.berth.spi.ClaimStore;
import java.util.List;

/**
 * {@code berth claim --provider sim}: the real claim protocol against a real claim store
 * (the local file store by default), inside a one-node simulated world that stands in for
 * the cloud, the block devices and the identity. The world has the instance, a group of the
 * configured capacity, and the volumes the store's slot records name (so a second run
 * resumes the slot, and the identity is restored from its backup onto the simulated disk).
 */
public final class LocalClaim {
    private LocalClaim() {
    }

    public static ClaimOutcome claim(ClaimSettings settings, ClaimStore store, String instanceId, String zone,
                                     int capacity, long seed, ClaimLog log, EnvFileWriter envFile) {
        return Scheduler.onVirtualThread(() -> run(settings, store, instanceId, zone, capacity, seed, log, envFile));
    }

    private static ClaimOutcome run(ClaimSettings settings, ClaimStore store, String instanceId, String zone,
                                    int capacity, long seed, ClaimLog log, EnvFileWriter envFile) {
        var zones = List.of(zone);
        var config = new SimConfig(zones, capacity, 0, 0, 0, 300_000, 0, true);
        var world = new World(config, settings, seed, CasSlotSelection::new, log, store);
        world.physics = world.physics.withDescribeLag(HeavyTail.fixed(0));
        world.processes.envWriter = envFile;
        world.processes.maxBerthRuns = 1;
        world.group.desired = capacity;
        world.ebs.seedVolumesFromStore();
        world.group.launch(zone, instanceId);
        try {
            while (world.processes.outcomes.isEmpty() && world.processes.failures.isEmpty() && world.scheduler.step()) {
                if (world.now() > Simulation.SETTLE_LIMIT_MILLIS * 4) {
                    throw new BerthException("the one-node simulated world did not finish its claim: report this as a bug");
                }
            }
        } finally {
            world.scheduler.shutdown();
        }
        if (!world.processes.failures.isEmpty()) {
            throw world.processes.failures.getFirst();
        }
        if (world.processes.outcomes.isEmpty()) {
            throw new ClaimException(ClaimException.Kind.TIMEOUT, "the claim in the one-node simulated world ended without"
                    + " an outcome: report this as a bug");
        }
        return world.processes.outcomes.getFirst();
    }
}
