package dev.berth.sim;

import static dev.berth.sim.RegressionScenariosTest.noViolations;
import static dev.berth.sim.RegressionScenariosTest.only;
import static dev.berth.sim.RegressionScenariosTest.ready;
import static dev.berth.sim.RegressionScenariosTest.slot;
import static dev.berth.sim.RegressionScenariosTest.world;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.claim.ClaimException;
import dev.berth.core.claim.ClaimSettings;
import dev.berth.core.claim.CrossZonePolicy;
import dev.berth.core.claim.FullPolicy;
import dev.berth.spi.AttachmentState;
import dev.berth.spi.VolumeState;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** What AWS documents and moto does not show: each test failed on the code before its fix. */
class AwsSemanticsTest {
    private static final long MINUTE = 60_000;

    @Test
    void aFencedHolderThatCannotUnmountNeverDetachesTheMountedVolume() {
        var w = world(1, 17);
        w.group.setDesired(1);
        var slow = only(w);
        w.faults.pauseAfterOp.put(slow.id, new SimFaults.PauseAfter("identity: export", 40 * MINUTE));
        assertTrue(w.runUntil(() -> w.trace.steps.stream().anyMatch(t -> t.what().equals("process stalls")), 10 * MINUTE));
        var volume = slow.mountedVolume;
        var waiter = w.group.launch(slow.zone);
        waiter.forceClaim = true;
        waiter.settingsOverride = new ClaimSettings(w.settings.cluster(), OptionalInt.empty(), w.settings.volume(),
                w.settings.identity(), w.settings.whenFull(), w.settings.crossZone(), w.settings.waits(),
                w.settings.envFile(), OptionalInt.of(0));
        w.faults.unmountsFail = true;   // the workload (or a shell) keeps the slow holder's mount point busy
        w.runUntil(() -> false, 60 * MINUTE);
        assertTrue(w.processes.failures.stream().anyMatch(e -> e instanceof ClaimException c && c.kind() == ClaimException.Kind.FENCED),
                "the slow holder was fenced");
        var attachments = w.ebs.volumes.get(volume).attachedNow();
        assertEquals(1, attachments.size());
        assertEquals(slow.id, attachments.getFirst().instanceId(), "still attached to the holder that could not unmount");
        assertEquals(AttachmentState.ATTACHED, attachments.getFirst().state());
        assertFalse(w.trace.steps.stream().anyMatch(t -> t.instance().equals(slow.id) && t.what().equals("ec2: detach volume")),
                "a mounted volume is never detached");
        assertFalse(ready(waiter), "the forced claim waits for the volume instead of taking it from under a mount");
        noViolations(w);
    }

    @Test
    void theKeeperReleasesTheSlotEvenWhenAutoScalingHasNoActiveLifecycleAction() {
        var w = world(1, 5);
        w.group.setDesired(1);
        var holder = only(w);
        assertTrue(w.runUntil(() -> ready(holder), 10 * MINUTE));
        w.faults.noActiveLifecycleAction = true;   // a spot interruption, or a group without an active hook
        w.group.desired = 0;
        w.group.terminate(holder, "scale in");
        assertTrue(w.runUntil(() -> slot(w, 0).holder() == null, 10 * MINUTE),
                () -> "the slot was never released: " + w.trace.steps.stream().filter(t -> t.instance().equals(holder.id))
                        .map(TraceStep::render).toList());
        assertEquals(slot(w, 0).epoch(), 1L, "a release keeps the epoch; the next claim raises it");
        noViolations(w);
    }

    @Test
    void aVolumeThatWentToErrorGetsANewCreationIntentInsteadOfWedgingTheSlot() {
        var w = world(1, 3);
        w.ebs.createdVolumesToFail = 1;   // EC2: the volume could not be created (a KMS key it cannot use, capacity)
        w.group.setDesired(1);
        var node = only(w);
        assertTrue(w.runUntil(() -> ready(node), 30 * MINUTE), () -> "not ready: " + w.processes.failures.stream().limit(3).toList());
        assertEquals(2, w.counters.volumesCreated, "a second volume under a new client token");
        var dead = w.ebs.volumes.values().stream().filter(v -> v.state.now() == VolumeState.ERROR).toList();
        assertEquals(1, dead.size());
        var live = slot(w, 0).volume().volumeId();
        assertNotEquals(dead.getFirst().id, live, "the slot names the live volume");
        assertNull(slot(w, 0).volumeIntent(), "the intent was fulfilled and cleared");
        noViolations(w);
    }

    @Test
    void duringLaunchBeforeTerminateAReplacementNeverJudgesTheClusterFull() {
        var waited = Simulation.run(SimulationRequest.of(Scenario.INSTANCE_REFRESH, 30, 3, 2));
        assertEquals(0, waited.violations(), () -> String.join("\n", waited.shortestTrace()));
        for (var policy : new FullPolicy[] {FullPolicy.TERMINATE_SELF, FullPolicy.MARK_UNHEALTHY}) {
            var report = Simulation.run(SimulationRequest.of(Scenario.INSTANCE_REFRESH, 30, 3, 2)
                    .withPolicies(policy, CrossZonePolicy.NEVER));
            assertEquals(0, report.violations(), () -> String.join("\n", report.shortestTrace()));
            assertEquals(0, report.fullOutcomes(), policy + ": the old instances are still in service, the cluster is not full");
            assertTrue(report.convergeMillis() <= waited.convergeMillis() * 1.2, policy + " converged in "
                    + report.convergeMillis() + " ms, wait in " + waited.convergeMillis() + " ms");
        }
    }

    @Test
    void aSpotHolderReleasesItsSlotWithinTheTwoMinuteNoticeAndItsReplacementTakesIt() {
        var request = new SimulationRequest(Scenario.PLAN, 3, 1, 7, FullPolicy.WAIT, CrossZonePolicy.NEVER, true,
                PlanText.parse("spot:1@300,spot:2@320"));
        var report = Simulation.run(request);
        assertEquals(0, report.violations(), () -> String.join("\n", report.shortestTrace()));
        assertEquals(3, report.slotsHeld(), "the replacements hold the released slots");
        assertEquals(3, report.volumesCreated(), "and reuse their volumes");
    }

    @Test
    void aThousandGeneratedRunsWithSpotInterruptionsHaveNoViolation() {
        int spots = 0;
        for (long seed = 1; seed <= 1_000; seed++) {
            var request = PlanGenerator.generate(424_242L * seed, 5);
            if (request.plan().stream().noneMatch(a -> a instanceof PlanAction.Spot)) {
                continue;
            }
            spots++;
            var report = Simulation.run(request);
            assertEquals(0, report.violations(), () -> "replay: berth simulate --nodes " + request.nodes() + " --zones "
                    + request.zones() + " --seed " + request.seed() + " --plan '" + PlanText.format(request.plan()) + "'\n"
                    + String.join("\n", report.shortestTrace()));
        }
        assertTrue(spots >= 100, "only " + spots + " generated runs had a spot interruption");
    }
}
