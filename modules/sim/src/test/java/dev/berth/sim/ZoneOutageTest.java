package dev.berth.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.claim.CrossZonePolicy;
import dev.berth.core.claim.FullPolicy;
import org.junit.jupiter.api.Test;

/** A real zone outage: the zone's volumes cannot be snapshotted, attached or detached while it is down. */
class ZoneOutageTest {

    private static SimulationReport run(CrossZonePolicy policy) {
        var report = Simulation.run(SimulationRequest.of(Scenario.ZONE_OUTAGE, 30, 3, 1).withPolicies(FullPolicy.WAIT, policy));
        System.out.println(report);
        assertEquals(0, report.violations(), () -> String.join("\n", report.shortestTrace()));
        return report;
    }

    @Test
    void latestSnapshotMovesTheLostZonesSlotsFromYoungSnapshotsAndNeverUsesTheOldVolumesAgain() {
        var report = run(CrossZonePolicy.LATEST_SNAPSHOT);
        assertEquals(30, report.slotsHeld());
        assertTrue(report.snapshotsTaken() > 0, "the holders took periodic snapshots");
        assertTrue(report.movesFromLatestSnapshot() > 0, "slots of the lost zone moved from their latest snapshots");
        assertTrue(report.maxDataLossMinutes() <= report.maxSnapshotAgeMinutes(),
                report.maxDataLossMinutes() + " minutes lost, bound " + report.maxSnapshotAgeMinutes());
        assertEquals(0, report.retiredVolumesAttached(), "the zone came back: no retired volume was attached again");
    }

    @Test
    void snapshotPolicyWaitsForTheLostZoneAndSaysWhy() {
        var report = run(CrossZonePolicy.SNAPSHOT);
        assertEquals(30, report.slotsHeld());
        assertEquals(0, report.movesFromLatestSnapshot());
        assertTrue(report.waitingMessages().stream().anyMatch(m -> m.contains("to be snapshotted") && m.contains("us-east-1a cannot snapshot it")
                        && m.contains("crossZone: snapshot waits for the zone")),
                () -> "a clear message about the wait: " + report.waitingMessages());
    }
}
