package dev.berth.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScenarioTest {

    private static SimulationReport run(Scenario scenario, int nodes, int zones, long seed) {
        var report = Simulation.run(SimulationRequest.of(scenario, nodes, zones, seed));
        assertEquals(0, report.violations(), () -> String.join("\n", report.shortestTrace()));
        return report;
    }

    @Test
    void massBootGivesEveryNodeItsOwnSlotAndVolume() {
        var report = run(Scenario.MASS_BOOT, 60, 3, 1);
        assertEquals(60, report.slots());
        assertEquals(60, report.slotsHeld());
        assertEquals(60, report.volumesCreated());
        System.out.println(report);
    }
}
