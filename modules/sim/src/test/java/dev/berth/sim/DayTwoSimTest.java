package dev.berth.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.claim.CasSlotSelection;
import dev.berth.core.claim.ClaimLog;
import dev.berth.core.claim.ClaimOutcome;
import dev.berth.core.claim.CrossZonePolicy;
import dev.berth.core.claim.FullPolicy;
import dev.berth.spi.VolumeRequest;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Issue 13 in the simulator: gc while claims run, volume growth with its rate limit, warm pools. */
class DayTwoSimTest {
    private static final long MINUTE = 60_000;

    private static World world(int nodes, long seed) {
        var request = SimulationRequest.of(Scenario.MASS_BOOT, nodes, 1, seed).withPolicies(FullPolicy.WAIT, CrossZonePolicy.NEVER);
        return new World(SimConfig.of(1, nodes), Simulation.settings(request), seed, CasSlotSelection::new, ClaimLog.silent());
    }

    private static boolean allReady(World w, int n) {
        return w.group.instances.values().stream().filter(i -> !i.terminated() && !i.terminationRequested
                && i.workloadSlot.isPresent()).count() == n;
    }

    private static void noViolations(World w) {
        assertTrue(w.trace.violations.isEmpty(), () -> w.trace.violations + "\n" + String.join("\n", ShortestTrace.of(w.trace.steps, w.trace.violations)));
    }

    @Test
    void gcAfterAScaleInDeletesTheOrphanAndTheNamedSlotsAboveCapacityAndNothingASlotNames() {
        var w = world(3, 5);
        w.group.setDesired(3);
        assertTrue(w.runUntil(() -> allReady(w, 3), 30 * MINUTE));
        var zone = w.config.zones().getFirst();
        var orphan = w.ebs.createVolume(new VolumeRequest(zone, 10, "gp3", OptionalInt.empty(), OptionalInt.empty(), false,
                Optional.empty(), Optional.empty(), Map.of("berth:cluster", "sim"), "by-hand"), w.group.instances.values().iterator().next());
        w.group.setDesired(1);
        w.runUntil(() -> false, 30 * MINUTE);
        assertEquals(4, w.ebs.volumes.size());

        w.gc.start(false);   // a plain gc: the orphan only
        w.runUntil(() -> false, 10 * MINUTE);
        assertFalse(w.ebs.volumes.containsKey(orphan.id), "the orphan is deleted");
        assertEquals(3, w.ebs.volumes.size(), "the slots above capacity keep their volumes unless named");

        w.gc.start(true);    // --slots-above-capacity
        w.runUntil(() -> false, 10 * MINUTE);
        assertEquals(1, w.ebs.volumes.size(), "only the held slot's volume is left");
        var held = w.group.instances.values().stream().filter(i -> i.workloadSlot.isPresent() && !i.terminated()).findFirst().orElseThrow();
        assertTrue(w.ebs.volumes.containsKey(held.mountedVolume), () -> held.id + " " + held.mountedVolume + " " + w.ebs.volumes.keySet()
                + "\n" + String.join("\n", w.trace.steps.stream().filter(t -> t.what().contains("gc") || t.what().contains("delete")
                || t.what().contains("slot deleted")).map(Object::toString).toList()));
        noViolations(w);

        w.group.setDesired(3);     // scaling out again makes the removed slots afresh
        assertTrue(w.runUntil(() -> allReady(w, 3), 30 * MINUTE), () -> String.join("\n",
                w.trace.steps.subList(Math.max(0, w.trace.steps.size() - 60), w.trace.steps.size()).stream().map(Object::toString).toList()));
        noViolations(w);
    }

    @Test
    void aLargerConfiguredSizeGrowsTheVolumeThenTheFilesystemAndTheRateLimitHoldsTheNextGrowth() {
        var w = world(1, 9);
        w.group.setDesired(1);
        var node = w.group.instances.values().iterator().next();
        assertTrue(w.runUntil(() -> node.workloadSlot.isPresent(), 20 * MINUTE));
        var volume = w.ebs.volumes.get(node.mountedVolume);
        assertEquals(100, volume.sizeGiB);
        assertEquals(100, volume.fsSizeGiB);

        w.processes.volumeSizeGiB = 200;
        int outcomes = w.processes.outcomes.size();
        w.processes.startBerth(node);   // the next berth claim on this instance (a reboot, a re-run)
        assertTrue(w.runUntil(() -> w.processes.outcomes.size() > outcomes, 20 * MINUTE));
        assertEquals(200, volume.sizeGiB, "ModifyVolume grew the volume");
        assertEquals(200, volume.fsSizeGiB, "the filesystem grew after the new size became usable");

        w.processes.volumeSizeGiB = 300;   // within six hours: EBS refuses, the claim goes on at 200 GiB
        int again = w.processes.outcomes.size();
        w.processes.startBerth(node);
        assertTrue(w.runUntil(() -> w.processes.outcomes.size() > again, 20 * MINUTE));
        assertEquals(200, volume.sizeGiB);
        assertTrue(w.processes.failures.isEmpty(), () -> w.processes.failures.toString());
        noViolations(w);
    }

    @Test
    void aWarmingInstanceDefersAndClaimsOnlyOnceInService() {
        var w = world(2, 13);
        w.warmPool = new WarmPool(w);
        w.group.setDesired(2);
        assertTrue(w.runUntil(() -> allReady(w, 2), 60 * MINUTE));
        assertEquals(2, w.processes.outcomes.stream().filter(o -> o instanceof ClaimOutcome.Deferred).count(),
                "each instance ran berth while warming and deferred: " + w.processes.outcomes);
        noViolations(w);
    }
}
