package dev.berth.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.claim.CasSlotSelection;
import dev.berth.core.claim.ClaimException;
import dev.berth.core.claim.ClaimLog;
import dev.berth.core.claim.ClaimSettings;
import dev.berth.core.claim.CrossZonePolicy;
import dev.berth.core.claim.FullPolicy;
import dev.berth.core.slot.SlotRecord;
import dev.berth.spi.InstanceState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The failure modes of the tools berth replaces, each as a story the simulator plays out. */
class RegressionScenariosTest {
    private static final long MINUTE = 60_000;

    static World world(int zones, long seed, FullPolicy full, CrossZonePolicy cross) {
        var request = SimulationRequest.of(Scenario.MASS_BOOT, 1, zones, seed).withPolicies(full, cross);
        var base = SimConfig.of(zones, 1);
        // every instance boots in exactly 30 s, so that launches at one instant are boots at one instant
        var config = new SimConfig(base.zones(), 1, 30_000, 30_000, 45_000, 300_000, 0.3, true);
        return new World(config, Simulation.settings(request), seed, CasSlotSelection::new, ClaimLog.silent());
    }

    static World world(int zones, long seed) {
        return world(zones, seed, FullPolicy.WAIT, CrossZonePolicy.NEVER);
    }

    static SlotRecord slot(World w, int n) {
        var key = w.keys().slot(n);
        return w.codec().decode(key, n, w.keys().cluster(), w.store.get(key).orElseThrow().value());
    }

    static boolean ready(SimInstance i) {
        return i.workloadSlot.isPresent() && !i.terminated();
    }

    static void noViolations(World w) {
        assertTrue(w.trace.violations.isEmpty(), () -> w.trace.violations + "\n" + String.join("\n", ShortestTrace.of(w.trace.steps, w.trace.violations)));
    }

    static SimInstance only(World w) {
        return w.group.instances.values().iterator().next();
    }

    @Test
    void instanceRefreshReplacementWaitsForTheOldHolderAndTakesItsVolume() {
        var w = world(1, 11);
        w.group.setDesired(1);
        var old = only(w);
        assertTrue(w.runUntil(() -> ready(old), 10 * MINUTE));
        var volume = slot(w, 0).volume().volumeId();
        var identity = slot(w, 0).identity().fingerprint();

        var replacement = w.group.launch(old.zone);
        w.runUntil(() -> false, 5 * MINUTE);
        assertFalse(ready(replacement), "the replacement must wait while the old holder runs");
        assertEquals(1, w.counters.volumesCreated, "waiting must never create a blank volume");

        w.group.terminate(old, "instance refresh");
        assertTrue(w.runUntil(() -> ready(replacement), 30 * MINUTE));
        assertEquals(0, replacement.workloadSlot.getAsInt());
        assertEquals(volume, replacement.mountedVolume, "the replacement took the old holder's volume");
        assertEquals(identity, slot(w, 0).identity().fingerprint());
        assertEquals(2, slot(w, 0).epoch());
        assertEquals(1, w.counters.volumesCreated);
        noViolations(w);
    }

    /**
     * The attach bound is the attachment's own: a replacement that waited 400 s for the old holder's
     * volume to come free still gets the full bound for its own attachment, which here stays
     * 'attaching' for a minute (longer than the first look after 4-6 s).
     */
    @Test
    void aReplacementThatWaitedLongForTheOldHoldersVolumeStillGetsTheWholeAttachBound() {
        var request = SimulationRequest.of(Scenario.MASS_BOOT, 1, 1, 13);
        var base = SimConfig.of(1, 1);
        // no lifecycle hook: the old holder is terminated outright and EC2 holds on to its volume for 400 s
        var config = new SimConfig(base.zones(), 1, 30_000, 30_000, 45_000, 300_000, 0.3, false);
        var w = new World(config, Simulation.settings(request), 13, CasSlotSelection::new, ClaimLog.silent());
        w.group.setDesired(1);
        var old = only(w);
        assertTrue(w.runUntil(() -> ready(old), 10 * MINUTE));
        w.physics = w.physics.withTerminationDetach(HeavyTail.fixed(400_000)).withAttach(HeavyTail.fixed(60_000));

        var replacement = w.group.launch(old.zone);
        w.group.terminate(old, "instance refresh");
        assertTrue(w.runUntil(() -> ready(replacement) || !w.processes.failures.isEmpty(), 60 * MINUTE));
        assertTrue(w.processes.failures.isEmpty(), () -> "the claim failed: " + w.processes.failures.getFirst().getMessage()
                + "\n" + String.join("\n", w.trace.steps.stream().map(TraceStep::render).toList()));
        assertTrue(ready(replacement));
        assertTrue(w.trace.steps.stream().anyMatch(t -> t.instance().equals(replacement.id) && t.result().contains("in use by " + old.id)),
                "the replacement did wait for the old holder's volume");
        assertEquals(1, w.counters.volumesCreated);
        noViolations(w);
    }

    @Test
    void twoInstancesBootingAtOnceInOneZoneSeeTheSameFreeVolumeButOnlyOneHoldsIt() {
        var w = world(1, 5);
        w.group.setDesired(1);
        var first = only(w);
        assertTrue(w.runUntil(() -> ready(first), 10 * MINUTE));
        var volume = slot(w, 0).volume().volumeId();
        w.group.desired = 0;   // the group shrinks to nothing, then grows by two at one instant
        w.group.terminate(first, "gone");
        assertTrue(w.runUntil(first::terminated, 30 * MINUTE), () -> first.state.now() + " " + first.lifecycle.now()
                + "\n" + String.join("\n", w.trace.steps.stream().map(TraceStep::render).toList()));

        w.faults.staleUntil = w.now() + 30 * MINUTE;  // describe calls lag by up to 45 s
        w.physics = w.physics.inStep(100);     // two boots at one instant reach the store at one instant
        long writesBefore = w.counters.claimWrites;
        w.group.desired = 2;
        var a = w.group.launch(first.zone);
        var b = w.group.launch(first.zone);
        assertTrue(w.runUntil(() -> ready(a) && ready(b), 30 * MINUTE));
        assertNotEquals(a.workloadSlot.getAsInt(), b.workloadSlot.getAsInt());
        var onVolume = List.of(a, b).stream().filter(i -> volume.equals(i.mountedVolume)).toList();
        assertEquals(1, onVolume.size(), "exactly one instance holds the free volume's slot");
        assertEquals(0, onVolume.getFirst().workloadSlot.getAsInt());
        assertTrue(w.counters.claimWrites - writesBefore >= 3, "both went for slot 0 and one lost the race: "
                + (w.counters.claimWrites - writesBefore) + " claim writes");
        noViolations(w);
    }

    @ParameterizedTest
    @EnumSource(FullPolicy.class)
    void aFullClusterAppliesThePolicyAndCreatesNothingBeyondCapacity(FullPolicy policy) {
        var w = world(2, 3, policy, CrossZonePolicy.NEVER);
        w.group.setDesired(3);
        assertTrue(w.runUntil(() -> w.group.instances.values().stream().filter(RegressionScenariosTest::ready).count() == 3,
                15 * MINUTE));
        var extra = w.group.launch(null);   // one instance more than the cluster has slots (a surge, a manual launch)
        // the group now runs more instances than it wants: as during launch-before-terminate, the extra one
        // first waits (waits.holderSeconds, 15 min) for an old instance to go, then applies the policy
        w.runUntil(() -> false, 40 * MINUTE);
        assertFalse(ready(extra));
        assertEquals(3, w.counters.volumesCreated, "nothing is created beyond capacity");
        assertEquals(3, w.store.list(w.keys().slotsPrefix()).size());
        switch (policy) {
            case WAIT -> {
                assertTrue(w.counters.fullOutcomes >= 1, "waited, then reported the cluster full");
                assertFalse(extra.terminationRequested);
            }
            case MARK_UNHEALTHY -> {
                assertFalse(extra.healthy, "marked unhealthy");
                assertTrue(extra.terminated(), "and the group replaced it");
            }
            case TERMINATE_SELF -> assertTrue(extra.terminated(), "terminated itself");
        }
        noViolations(w);
    }

    @ParameterizedTest(name = "crash after {0}, re-run on {1} instance")
    @CsvSource({
        "store: put-if-absent, the same",
        "store: put-if-absent, another",
        "ec2: create volume, the same",
        "ec2: create volume, another",
        "ec2: attach volume, the same",
        "ec2: attach volume, another",
        "mkfs, the same",
        "mkfs, another",
        "identity: generate, the same",
        "identity: generate, another"})
    void aCrashAnywhereConvergesWithoutASecondVolumeMkfsOrIdentity(String op, String where) {
        var w = world(1, 21);
        w.group.setDesired(1);
        var first = only(w);
        w.faults.crashAfterOp.put(first.id, op);
        assertTrue(w.runUntil(() -> first.berthRuns >= 1 && w.counters.crashes == 1, 10 * MINUTE), "crashed after " + op);
        if (where.equals("another")) {
            w.group.terminate(first, "the crashed instance is replaced");
        }
        assertTrue(w.runUntil(() -> w.group.instances.values().stream().anyMatch(RegressionScenariosTest::ready), 60 * MINUTE));
        var holder = w.group.instances.values().stream().filter(RegressionScenariosTest::ready).findFirst().orElseThrow();
        assertEquals(where.equals("another"), holder != first);
        assertEquals(1, w.counters.volumesCreated, "no second volume");
        var volume = w.ebs.volumes.get(slot(w, 0).volume().volumeId());
        assertEquals(1, volume.formats, "formatted once");
        assertNotNull(slot(w, 0).identity());
        assertEquals(volume.identityFingerprint, slot(w, 0).identity().fingerprint(), "one identity, on its volume");
        assertTrue(slot(w, 0).formatted());
        noViolations(w);
    }

    @Test
    void zoneOutageKeepsEverySlotsVolumeInItsZoneAndItsIdentity() {
        var w = world(3, 8);
        w.group.setDesired(6);
        assertTrue(w.runUntil(() -> w.group.instances.values().stream().filter(RegressionScenariosTest::ready).count() == 6,
                15 * MINUTE));
        Map<Integer, String> zoneOf = new HashMap<>();
        Map<Integer, String> identityOf = new HashMap<>();
        for (int n = 0; n < 6; n++) {
            zoneOf.put(n, slot(w, n).volume().zone());
            identityOf.put(n, slot(w, n).identity().fingerprint());
        }
        var down = w.config.zones().getFirst();
        w.faults.zonesDown.add(down);
        for (var i : List.copyOf(w.group.instances.values())) {
            if (i.zone.equals(down)) {
                w.scheduler.kill(i.berth);
                i.healthy = false;
                w.group.terminate(i, "zone outage");
            }
        }
        w.runUntil(() -> false, 30 * MINUTE);   // the group replaces them in the other zones
        for (int n = 0; n < 6; n++) {
            assertEquals(zoneOf.get(n), slot(w, n).volume().zone(), "slot " + n + " keeps its volume's zone");
        }
        w.recoverZone(down);
        // Auto Scaling rebalances: launches in the recovered zone, then terminates from the others
        var extras = w.group.instances.values().stream().filter(i -> !i.terminated() && !i.terminationRequested
                && !i.zone.equals(down) && i.workloadSlot.isEmpty()).toList();
        for (var extra : extras) {
            w.group.launch(down);
            w.group.terminate(extra, "AZ rebalance");
        }
        assertTrue(w.runUntil(() -> w.group.instances.values().stream().filter(RegressionScenariosTest::ready).count() == 6,
                60 * MINUTE));
        for (int n = 0; n < 6; n++) {
            assertEquals(zoneOf.get(n), slot(w, n).volume().zone(), "slot " + n + " keeps its volume's zone");
            assertEquals(identityOf.get(n), slot(w, n).identity().fingerprint(), "slot " + n + " keeps its identity");
        }
        assertEquals(6, w.counters.volumesCreated);
        noViolations(w);
    }

    @Test
    void aSlotMovesToAnotherZoneThroughASnapshotWhenAllowedAndKeepsItsIdentity() {
        var w = world(2, 4, FullPolicy.WAIT, CrossZonePolicy.SNAPSHOT);
        w.group.setDesired(1);
        var first = only(w);
        assertTrue(w.runUntil(() -> ready(first), 10 * MINUTE));
        var before = slot(w, 0);
        w.group.desired = 0;
        w.group.terminate(first, "moved away");
        assertTrue(w.runUntil(first::terminated, 30 * MINUTE));
        var other = w.config.zones().stream().filter(z -> !z.equals(first.zone)).findFirst().orElseThrow();
        w.group.desired = 1;
        var mover = w.group.launch(other);
        assertTrue(w.runUntil(() -> ready(mover), 60 * MINUTE));
        var after = slot(w, 0);
        assertEquals(other, after.volume().zone());
        assertEquals(before.identity().fingerprint(), after.identity().fingerprint(), "the identity stays with its slot");
        assertEquals(List.of(before.volume()), after.retiredVolumes(), "the old volume is retired, not deleted");
        assertEquals(1, w.counters.snapshots);
        assertTrue(w.ebs.volumes.get(before.volume().volumeId()).tags.containsKey("berth:retired"));
        noViolations(w);
    }

    private static ClaimSettings withVolumeSize(World w, int sizeGiB) {
        var s = w.settings;
        var v = s.volume();
        var volume = new ClaimSettings.VolumeSettings(sizeGiB, v.type(), v.iops(), v.throughputMiBps(), v.encrypted(),
                v.kmsKeyId(), v.seedSnapshotId(), v.filesystem(), v.mkfsArguments(), v.mountPoint(), v.mountOptions());
        return new ClaimSettings(s.cluster(), s.capacity(), volume, s.identity(), s.whenFull(), s.crossZone(), s.waits(),
                s.envFile(), s.forceSlot());
    }

    private static SimInstance moveToTheOtherZone(World w, SimInstance from) {
        w.group.desired = 0;
        w.group.terminate(from, "moved away");
        assertTrue(w.runUntil(from::terminated, 30 * MINUTE));
        var other = w.config.zones().stream().filter(z -> !z.equals(from.zone)).findFirst().orElseThrow();
        w.group.desired = 1;
        return w.group.launch(other);
    }

    @Test
    void aVolumeMadeFromASnapshotIsAtLeastTheSnapshotsSizeWhateverTheConfigSays() {
        var w = world(2, 4, FullPolicy.WAIT, CrossZonePolicy.SNAPSHOT);
        w.group.setDesired(1);
        var first = only(w);
        first.settingsOverride = withVolumeSize(w, 500); // the volume was made (or grown) larger than the config says
        assertTrue(w.runUntil(() -> ready(first), 10 * MINUTE));
        assertEquals(500, w.ebs.volumes.get(slot(w, 0).volume().volumeId()).sizeGiB);
        var mover = moveToTheOtherZone(w, first);
        // a config below the volume's 500 GiB is refused before the move (ShrinkRefusedSimTest)
        mover.settingsOverride = withVolumeSize(w, 500);
        assertTrue(w.runUntil(() -> ready(mover), 60 * MINUTE), () -> "moved: " + w.processes.failures.stream().limit(3).toList());
        assertEquals(500, w.ebs.volumes.get(slot(w, 0).volume().volumeId()).sizeGiB, "the snapshot's 500 GiB");
        noViolations(w);
    }

    @Test
    void aCrashAfterCreateSnapshotReusesThatSnapshot() {
        var w = world(2, 4, FullPolicy.WAIT, CrossZonePolicy.SNAPSHOT);
        w.group.setDesired(1);
        var first = only(w);
        assertTrue(w.runUntil(() -> ready(first), 10 * MINUTE));
        var mover = moveToTheOtherZone(w, first);
        w.faults.crashAfterOp.put(mover.id, "ec2: create snapshot");
        assertTrue(w.runUntil(() -> ready(mover), 60 * MINUTE), () -> "moved: " + w.processes.failures.stream().limit(3).toList());
        assertEquals(1, w.counters.crashes);
        assertEquals(1, w.counters.snapshots, "the re-run found the snapshot its crash left unrecorded");
        assertEquals(1, w.ebs.snapshots.size());
        noViolations(w);
    }

    @Test
    void aBlankVolumeMadeFromASnapshotIsNeverFormatted() {
        var w = world(1, 4);
        var seed = new SimSnapshot("snap-0blankseed", "vol-0gone", 100, 0, new java.util.TreeMap<>(), null,
                new java.util.TreeMap<>(), null); // a snapshot of a volume that held nothing
        seed.completed = true;
        w.ebs.snapshots.put(seed.id, seed);
        var s = w.settings;
        var v = s.volume();
        var seeded = new ClaimSettings(s.cluster(), s.capacity(), new ClaimSettings.VolumeSettings(v.sizeGiB(), v.type(),
                v.iops(), v.throughputMiBps(), v.encrypted(), v.kmsKeyId(), java.util.Optional.of(seed.id), v.filesystem(),
                v.mkfsArguments(), v.mountPoint(), v.mountOptions()), s.identity(), s.whenFull(), s.crossZone(), s.waits(),
                s.envFile(), s.forceSlot());
        w.group.setDesired(1);
        var first = only(w);
        first.settingsOverride = seeded;
        w.runUntil(() -> ready(first), 20 * MINUTE);
        assertFalse(ready(first), "a blank device of a snapshot's volume stops berth");
        var stop = w.processes.failures.stream().filter(ClaimException.class::isInstance).map(ClaimException.class::cast)
                .filter(e -> e.kind() == ClaimException.Kind.DATA_SAFETY).findFirst().orElseThrow(() ->
                        new AssertionError("no data-safety stop: " + w.processes.failures.stream().limit(3).toList()));
        assertTrue(stop.getMessage().contains("was created from snapshot snap-0blankseed"), stop.getMessage());
        assertTrue(stop.getMessage().contains("never makes a filesystem over a snapshot's data"), stop.getMessage());
        assertTrue(w.ebs.volumes.values().stream().allMatch(vol -> vol.formats == 0), "nothing was formatted");
    }

    @Test
    void aNeverRecordedBlankVolumeInAnotherZoneIsRetiredNotMovedThroughABlankSnapshot() {
        var w = world(2, 4, FullPolicy.WAIT, CrossZonePolicy.SNAPSHOT);
        w.group.setDesired(1);
        var first = only(w);
        w.faults.crashAfterOp.put(first.id, "ec2: attach volume"); // the volume is made and attached, never formatted
        assertTrue(w.runUntil(() -> w.counters.crashes == 1, 10 * MINUTE));
        var blank = w.ebs.volumes.values().iterator().next();
        var mover = moveToTheOtherZone(w, first);
        assertTrue(w.runUntil(() -> ready(mover), 60 * MINUTE), () -> "moved: " + w.processes.failures.stream().limit(3).toList());
        assertEquals(0, w.counters.snapshots, "a blank volume is not worth a snapshot");
        assertEquals(mover.zone, slot(w, 0).volume().zone());
        assertEquals(1, w.ebs.volumes.get(slot(w, 0).volume().volumeId()).formats);
        assertEquals(List.of(blank.id), slot(w, 0).retiredVolumes().stream().map(SlotRecord.VolumeRef::volumeId).toList());
        assertTrue(blank.tags.containsKey("berth:retired"));
        noViolations(w);
    }

    @Test
    void scaleInThenOutReusesTheIdleVolumes() {
        var report = Simulation.run(SimulationRequest.of(Scenario.SCALE_IN, 12, 3, 9));
        assertEquals(0, report.violations(), () -> String.join("\n", report.shortestTrace()));
        assertEquals(12, report.volumesCreated(), "the 5 idle volumes were reused, none recreated");
        assertEquals(12, report.slots());
    }

    @Test
    void aSlowHolderIsNeverRobbedUnlessForcedAndThenItsWritesAreFenced() {
        var w = world(1, 17);
        w.group.setDesired(1);
        var slow = only(w);
        w.faults.pauseAfterOp.put(slow.id, new SimFaults.PauseAfter("identity: export", 40 * MINUTE));  // a long GC pause
        assertTrue(w.runUntil(() -> w.trace.steps.stream().anyMatch(t -> t.what().equals("process stalls")), 10 * MINUTE));
        var waiter = w.group.launch(slow.zone);
        w.runUntil(() -> false, 20 * MINUTE);
        assertFalse(ready(waiter), "a live but slow holder keeps its slot");
        assertEquals(slow.id, slot(w, 0).holder().instanceId());
        assertEquals(1, slot(w, 0).epoch());

        // the operator forces the slot over to the waiter
        waiter.forceClaim = true;
        waiter.settingsOverride = new ClaimSettings(w.settings.cluster(), OptionalInt.empty(), w.settings.volume(),
                w.settings.identity(), w.settings.whenFull(), w.settings.crossZone(), w.settings.waits(),
                w.settings.envFile(), OptionalInt.of(0));
        w.scheduler.kill(waiter.berth);
        w.processes.startBerth(waiter);
        assertTrue(w.runUntil(() -> ready(waiter), 60 * MINUTE));
        assertEquals(waiter.id, slot(w, 0).holder().instanceId());
        assertEquals(2, slot(w, 0).epoch(), "the forced claim raised the fencing epoch");
        assertTrue(w.processes.failures.stream().anyMatch(e -> e instanceof ClaimException c && c.kind() == ClaimException.Kind.FENCED),
                "the slow holder's write at the stale epoch was rejected");
        assertTrue(slow.workloadSlot.isEmpty() && slow.state.now() == InstanceState.RUNNING, "the old holder stopped, alive");
        noViolations(w);
    }

    @Test
    void aVolumeStuckAttachingIsAClearErrorNamingTheVolumeAndTheInstance() {
        var w = world(1, 2);
        w.ebs.attachmentsHang = true;
        w.group.setDesired(1);
        var node = only(w);
        assertTrue(w.runUntil(() -> !w.processes.failures.isEmpty(), 60 * MINUTE));
        var failure = w.processes.failures.getFirst();
        var volume = w.ebs.volumes.keySet().iterator().next();
        assertInstanceOf(ClaimException.class, failure);
        assertEquals(ClaimException.Kind.TIMEOUT, ((ClaimException) failure).kind());
        assertTrue(failure.getMessage().contains(volume) && failure.getMessage().contains("last seen: attaching")
                && failure.getMessage().contains("waits.attachSeconds")
                && failure.getMessage().contains(node.id) && failure.getMessage().contains("re-run"), failure.getMessage());
        assertFalse(ready(node));
        noViolations(w);
    }
}
