package dev.berth.sim;

import dev.berth.core.claim.CasSlotSelection;
import dev.berth.core.claim.ClaimLog;
import dev.berth.core.claim.ClaimSettings;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.CloudProvider;
import dev.berth.spi.InstanceState;
import dev.berth.spi.LifecycleState;
import java.util.List;
import java.util.function.Function;

/**
 * {@code berth status|gc|release --provider sim}: the day-2 commands against a real claim store,
 * with a one-node simulated world standing in for the cloud (the volumes the store's slot records
 * name exist there; the instances that claimed them are gone, as after {@code berth claim --provider sim}).
 */
public final class LocalFleet {
    private LocalFleet() {
    }

    public static <T> T withCloud(ClaimSettings settings, ClaimStore store, String instanceId, String zone, int capacity,
                                  Function<CloudProvider, T> use) {
        return Scheduler.onVirtualThread(() -> {
            var config = new SimConfig(List.of(zone), capacity, 0, 0, 0, 300_000, 0, true);
            var world = new World(config, settings, 1, CasSlotSelection::new, ClaimLog.silent(), store);
            world.physics = world.physics.withDescribeLag(HeavyTail.fixed(0));
            world.group.desired = capacity;
            world.ebs.seedVolumesFromStore();
            var operator = new SimInstance(instanceId, zone, 0, 1);
            operator.state.set(0, InstanceState.RUNNING);
            operator.lifecycle.set(0, LifecycleState.DETACHED);   // not a member of the group: an operator's machine
            try {
                return use.apply(new SimNode(world, operator).context().cloud());
            } finally {
                world.scheduler.shutdown();
            }
        });
    }
}
