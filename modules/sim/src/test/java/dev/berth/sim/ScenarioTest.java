package dev.berth.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ScenarioTest {

    private static SimulationReport run(Scenario scenario, int nodes, int zones, long seed) {
        var report = Simulation.run(SimulationRequest.of(scenario, nodes, zones, seed));
        System.out.println(report);
        assertEquals(0, report.violations(), () -> String.join("\n", report.shortestTrace()));
        return report;
    }

    @Test
    void massBootGivesEveryNodeItsOwnSlotAndVolume() {
        var report = run(Scenario.MASS_BOOT, 60, 3, 1);
        assertEquals(60, report.slots());
        assertEquals(60, report.slotsHeld());
        assertEquals(60, report.volumesCreated());
    }

    @Test
    void instanceRefreshKeepsEverySlotsVolume() {
        var report = run(Scenario.INSTANCE_REFRESH, 30, 3, 2);
        assertEquals(30, report.slots());
        assertEquals(30, report.volumesCreated());
    }

    @Test
    void zoneOutage() {
        var report = run(Scenario.ZONE_OUTAGE, 30, 3, 3);
        assertEquals(30, report.slots());
    }

    @Test
    void scaleIn() {
        var report = run(Scenario.SCALE_IN, 20, 3, 4);
        assertEquals(20, report.volumesCreated());
    }

    @Test
    void chaos() {
        run(Scenario.CHAOS, 30, 3, 5);
    }
}
