package dev.berth.sim;

import org.junit.jupiter.api.Test;

class TraceDebugTest {
    @Test
    void printOneNode() {
        var config = SimConfig.of(1, 1);
        var req = SimulationRequest.of(Scenario.MASS_BOOT, 1, 1, 3);
        var world = new World(config, Simulation.settings(req), 3, dev.berth.core.claim.CasSlotSelection::new,
                m -> System.out.println("LOG " + m));
        world.setDesired(1);
        while (world.scheduler.step() && world.now() < 600_000) { }
        world.scheduler.shutdown();
        world.trace.forEach(t -> System.out.println(t.render()));
    }
}
