package dev.berth.sim;

import dev.berth.core.claim.CasSlotSelection;
import dev.berth.core.claim.ClaimLog;
import dev.berth.provider.tck.CloudProviderContract;
import dev.berth.spi.CloudProvider;

/**
 * The simulator's cloud keeps the same contract as the AWS provider (whose run is on moto), so
 * what the simulations prove about the protocol holds for the real provider's behaviour too.
 */
class SimCloudProviderContractTest extends CloudProviderContract {
    private static final int CAPACITY = 3;
    private final World world;
    private final SimNode node;

    SimCloudProviderContractTest() {
        var request = SimulationRequest.of(Scenario.MASS_BOOT, CAPACITY, 3, 5);
        world = new World(SimConfig.of(3, CAPACITY), Simulation.settings(request), 5, CasSlotSelection::new,
                ClaimLog.silent());
        world.processes.autoStartBerth = false;
        // the contract reads back what it just saw; the simulated cloud's describe lag (up to a minute)
        // could answer from before a volume existed, so this one-caller world lags by at most a second
        world.physics = world.physics.withDescribeLag(HeavyTail.seconds(0.3, 1, 1));
        world.group.setDesired(CAPACITY);
        world.scheduler.advanceTo(5 * 60_000);
        node = new SimNode(world, world.group.instances.values().iterator().next());
    }

    @Override
    protected CloudProvider provider() {
        return node.context().cloud();
    }

    @Override
    protected int expectedDesiredCapacity() {
        return CAPACITY;
    }

    @Override
    protected void waitABit() {
        world.scheduler.advanceTo(world.now() + 1_000);
    }
}
