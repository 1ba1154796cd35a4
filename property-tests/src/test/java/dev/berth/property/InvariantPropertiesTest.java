package dev.berth.property;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.berth.sim.PlanGenerator;
import dev.berth.sim.Shrinker;
import dev.berth.sim.Simulation;
import dev.berth.sim.SimulationReport;
import dev.berth.sim.SimulationRequest;
import org.junit.jupiter.api.Test;

/**
 * The stateful property: for generated fleets and generated steps (boots, crashes of berth at
 * any SPI call, stalls, terminations, refreshes, scaling, zone outages, stale describes,
 * throttling, a slow store) with the scheduler's choices drawn from the seed, every invariant
 * holds after every step, and once the faults stop every running instance up to capacity
 * holds a slot. A failure is shrunk and printed as a replayable command.
 */
class InvariantPropertiesTest {

    @Test
    void invariantsHoldAndTheFleetConvergesForGeneratedScenarios() {
        int tries = PropertySettings.TRIES;
        long calls = 0;
        long claimErrors = 0;
        int withFaults = 0;
        int latestSnapshot = 0;
        int latestSnapshotMoves = 0;
        int latestSnapshotWaits = 0;
        long started = System.nanoTime();
        for (int i = 0; i < tries; i++) {
            var request = PlanGenerator.generate(PropertySettings.BASE_SEED + i, 6);
            var report = Simulation.run(request);
            calls += report.spiCalls();
            claimErrors += report.claimErrors();
            if (!request.plan().isEmpty()) {
                withFaults++;
            }
            if (request.crossZone() == dev.berth.core.claim.CrossZonePolicy.LATEST_SNAPSHOT) {
                latestSnapshot++;
                if (report.movesFromLatestSnapshot() > 0) {
                    latestSnapshotMoves++;
                } else if (request.plan().stream().anyMatch(a -> a instanceof dev.berth.sim.PlanAction.Outage)) {
                    latestSnapshotWaits++;
                }
            }
            failShrunkIfViolated("property", i, request, report);
        }
        System.out.printf("invariant property: %d generated scenarios (%d with faults), %d simulated SPI calls,"
                + " %d claim errors (each explained by a planned fault), 0 violations, %.1f s%n",
                tries, withFaults, calls, claimErrors, (System.nanoTime() - started) / 1e9);
        System.out.printf("  crossZone latest-snapshot: %d scenarios, %d moved slots from a young snapshot, %d had an"
                + " outage and no move from a snapshot (none young enough, or no slot to move)%n",
                latestSnapshot, latestSnapshotMoves, latestSnapshotWaits);
        assertTrue(withFaults > tries / 2, "most generated scenarios should carry faults");
    }

    /**
     * The same property with the store answering as S3 does (a listing of hints, no values): every
     * claim ranks on its writers' hints and reads only the slots it tries (issue 16.1).
     */
    @Test
    void invariantsHoldWhenClaimsRankOnTheStoresHints() {
        int tries = Math.max(50, PropertySettings.TRIES / 4);
        long started = System.nanoTime();
        long requests = 0;
        for (int i = 0; i < tries; i++) {
            var request = PlanGenerator.generate(PropertySettings.BASE_SEED + 1_000_000 + i, 6)
                    .withStoreModel(dev.berth.sim.StoreModel.S3);
            var report = Simulation.run(request);
            requests += report.storeRequests() == null ? 0 : report.storeRequests();
            failShrunkIfViolated("property (S3 hints)", i, request, report);
        }
        System.out.printf("invariant property on S3 hints: %d generated scenarios, %d S3 requests, 0 violations, %.1f s%n",
                tries, requests, (System.nanoTime() - started) / 1e9);
        assertTrue(requests > 0, "the S3 model must have counted the store's requests");
    }

    /** A violation fails the test with the replayable command line, the shrunk smallest one and its trace. */
    private static void failShrunkIfViolated(String property, int i, dev.berth.sim.SimulationRequest request,
                                             SimulationReport report) {
        if (report.violations() > 0) {
            var shrunk = new Shrinker(Simulation::run, 300).shrink(request);
            fail(property + " failed on try " + i + ": " + report.violationDetails().getFirst().detail()
                    + "\n  replay:   " + request.commandLine()
                    + "\n  smallest: " + shrunk.smallest().commandLine()
                    + "\n" + String.join("\n", shrunk.report().shortestTrace()));
        }
    }

    @Test
    void generatedScenariosAreReplayableFromTheirCommandLine() {
        var request = PlanGenerator.generate(PropertySettings.BASE_SEED + 7, 6);
        SimulationReport first = Simulation.run(request);
        SimulationReport again = Simulation.run(request);
        assertEquals(first, again, "the same plan and seed must give the same run");
    }
}
