package dev.berth.sim;

import dev.berth.core.claim.ClaimException;
import dev.berth.core.claim.ClaimOutcome;
import dev.berth.core.claim.ClaimProtocol;
import dev.berth.core.claim.ClaimSettings;
import dev.berth.core.claim.SlotSelection;
import dev.berth.spi.BerthException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The berth processes of the simulated instances, each running the real core on its node's SPI:
 * the claim at boot (and its re-runs after a failure), the keeper that lets the slot go when the
 * instance is told to go, and the periodic {@code berth snapshot} job; with what their outcomes
 * must show (one live workload per slot, no claim error without a fault that explains it).
 */
final class BerthProcesses {
    /** The rule the simulated berth takes a slot's address by: the real one, unless a test breaks it. */
    dev.berth.core.claim.AddressTakeover takeover = dev.berth.core.claim.AddressTakeover.LIVENESS_RULE;
    /** The volume size berth runs are configured with from now on (a plan's resize step); 0 for the default. */
    int volumeSizeGiB;
    int maxBerthRuns = Integer.MAX_VALUE;
    /** Off for tests that drive one instance's SPI directly, outside any berth process. */
    boolean autoStartBerth = true;
    dev.berth.core.claim.EnvFileWriter envWriter = (file, values) -> { };
    /** Whether holders run {@code berth snapshot} every {@code snapshots.everyMinutes} (the image's timer). */
    boolean periodicSnapshots;
    final List<ClaimOutcome> outcomes = new ArrayList<>();
    final List<RuntimeException> failures = new ArrayList<>();
    private final World world;
    private final Supplier<SlotSelection> selection;

    BerthProcesses(World world, Supplier<SlotSelection> selection) {
        this.world = world;
        this.selection = selection;
    }

    void startBerth(SimInstance instance) {
        instance.berthRuns++;
        if (instance.bootStartedAt < 0) {
            instance.bootStartedAt = world.now();
        }
        var node = new SimNode(world, instance);
        var proc = new Scheduler.Proc(instance.id + "#" + instance.berthRuns, () -> runBerth(node));
        node.proc = proc;
        instance.berth = proc;
        world.scheduler.start(proc, world.now());
    }

    private void runBerth(SimNode node) {
        var instance = node.instance;
        var protocol = new ClaimProtocol(settingsFor(instance), node.context(), selection.get(), takeover);
        String result;
        try {
            var outcome = protocol.claim();
            outcomes.add(outcome);
            switch (outcome) {
                case ClaimOutcome.Claimed c -> ready(node, c.lease().slot());
                case ClaimOutcome.Resumed r -> ready(node, r.lease().slot());
                case ClaimOutcome.Deferred d -> world.trace.event(instance.id, "berth exits", "deferred: " + d.lifecycleState(), -1);
                case ClaimOutcome.Full f -> {
                    world.counters.fullOutcomes++;
                    world.trace.event(instance.id, "berth exits", "full: " + f.policy().configName(), -1);
                    scheduleRestart(instance);
                }
            }
            result = "done";
        } catch (ClaimException e) {
            failures.add(e);
            world.counters.claimErrors++;
            world.trace.event(instance.id, "berth fails", e.kind() + ": " + SimTrace.firstWords(e.getMessage()), -1);
            if (e.kind() == ClaimException.Kind.DATA_SAFETY) {
                world.trace.violation("data-safety stop", -1, List.of(instance.id), e.getMessage());
            } else {
                checkExplained(instance, e);
            }
            scheduleRestart(instance);
            result = "failed";
        } catch (BerthException e) {
            failures.add(e);
            world.counters.claimErrors++;
            world.trace.event(instance.id, "berth fails", SimTrace.firstWords(e.getMessage()), -1);
            checkExplained(instance, e);
            scheduleRestart(instance);
            result = "failed";
        } catch (SimulatedCrash e) {
            world.counters.crashes++;
            world.trace.event(instance.id, "berth crashes", e.getMessage(), -1);
            scheduleRestart(instance);
            result = "crashed";
        }
        node.finish(result);
    }

    /**
     * A claim that fails needs a planned fault that explains it: a zone outage, a throttling
     * window, a stalled berth process, a forced claim or a stuck attachment. Anything else
     * (slow but healthy physics, crashes and re-runs, terminations, stale describes) the
     * protocol must ride out, so an error there is a violation.
     */
    private void checkExplained(SimInstance instance, BerthException e) {
        if (world.faults.explanation() == null) {
            world.counters.unexplainedClaimErrors++;
            world.trace.violation("no claim error without a fault that explains it", -1, List.of(instance.id),
                    "berth failed with no planned fault to explain it: " + e.getMessage());
        }
    }

    ClaimSettings settingsFor(SimInstance instance) {
        if (instance.settingsOverride != null) {
            return instance.settingsOverride;
        }
        return volumeSizeGiB <= 0 ? world.settings : withVolumeSize(world.settings, volumeSizeGiB);
    }

    static ClaimSettings withVolumeSize(ClaimSettings s, int sizeGiB) {
        var v = s.volume();
        var volume = new ClaimSettings.VolumeSettings(sizeGiB, v.type(), v.iops(), v.throughputMiBps(), v.encrypted(),
                v.kmsKeyId(), v.seedSnapshotId(), v.filesystem(), v.mkfsArguments(), v.mountPoint(), v.mountOptions());
        return new ClaimSettings(s.cluster(), s.capacity(), volume, s.identity(), s.whenFull(), s.crossZone(), s.waits(),
                s.envFile(), s.forceSlot());
    }

    private void ready(SimNode node, int slot) {
        var instance = node.instance;
        instance.workloadSlot = java.util.OptionalInt.of(slot);
        instance.keeperActive = true;
        if (instance.readyAt < 0) {
            instance.readyAt = world.now();
        }
        world.counters.ready++;
        node.readyRun = true;
        new WarmPool(world).check(instance, slot, "started the workload of");
        startSnapshotTimer(instance);
        world.trace.event(instance.id, "ready", "slot " + slot, slot);
        for (var other : world.group.instances.values()) {
            if (other != instance && !other.terminated() && other.workloadSlot.isPresent()
                    && other.workloadSlot.getAsInt() == slot && !other.terminationRequested) {
                world.trace.violation("one live workload per slot", slot, List.of(other.id, instance.id),
                        "two live instances run the workload of slot " + slot);
            }
        }
    }

    /**
     * berth runs again 10..30 s after it failed: the shipped oneshot unit has no Restart= (systemd before 244
     * refuses it), so this stands for the operator's or the boot's re-run, which the protocol must survive
     * at any step. The simulator keeps it to check that every step is idempotent.
     */
    private void scheduleRestart(SimInstance instance) {
        if (instance.berthRuns >= maxBerthRuns) {
            return;
        }
        world.scheduler.at(world.now() + world.between(10_000, 30_000), () -> {
            if (!instance.terminated() && !instance.terminationRequested && instance.running()) {
                startBerth(instance);
            }
        });
    }

    /** Starts the keeper of an instance told to go ({@code berth keeper}: it lets the slot go), after a delay drawn in the range. */
    void startKeeper(SimInstance instance, long minDelay, long maxDelay) {
        var node = new SimNode(world, instance);
        var proc = new Scheduler.Proc(instance.id + "#keeper", () -> runKeeper(node));
        node.proc = proc;
        instance.keeper = proc;
        world.scheduler.start(proc, world.now() + world.between(minDelay, maxDelay));
    }

    private void runKeeper(SimNode node) {
        var instance = node.instance;
        try {
            var context = node.context();
            var keeper = new dev.berth.core.claim.SlotKeeper(world.settings, context);
            // as berth keeper does: poll the notice through the retry layer (a throttled IMDS read is a bad second)
            var notice = keeper.awaitNotice(5_000, 60_000).orElseThrow(() -> new BerthException("no termination notice"));
            keeper.letGo(notice, Optional.empty(), reason -> node.workloadStopped());
        } catch (BerthException e) {
            world.trace.event(instance.id, "keeper fails", SimTrace.firstWords(e.getMessage()), -1);
        } catch (SimulatedCrash e) {
            world.trace.event(instance.id, "keeper crashes", e.getMessage(), -1);
        }
        node.finish("keeper");
    }

    /** Starts the instance's snapshot timer (systemd: OnActiveSec with a randomized delay, then OnUnitActiveSec). */
    private void startSnapshotTimer(SimInstance instance) {
        long every = settingsFor(instance).snapshots().everyMinutes() * 60_000L;
        if (!periodicSnapshots || instance.snapshotTimer || every <= 0) {
            return;
        }
        instance.snapshotTimer = true;
        world.scheduler.at(world.now() + world.between(60_000, every), () -> snapshotTick(instance, every));
    }

    private void snapshotTick(SimInstance instance, long every) {
        if (instance.terminated() || instance.terminationRequested) {
            return;
        }
        world.scheduler.at(world.now() + every, () -> snapshotTick(instance, every));
        if (!instance.running() || world.faults.zonesDown.contains(instance.zone)
                || (instance.snapshotJob != null && !instance.snapshotJob.finished())) {
            return;   // unreachable, or the last run still waits for its snapshot (systemd does not start it twice)
        }
        var node = new SimNode(world, instance);
        var proc = new Scheduler.Proc(instance.id + "#snapshot", () -> runSnapshotJob(node));
        node.proc = proc;
        instance.snapshotJob = proc;
        world.scheduler.start(proc, world.now());
    }

    private void runSnapshotJob(SimNode node) {
        var instance = node.instance;
        try {
            var outcome = new dev.berth.core.claim.PeriodicSnapshot(settingsFor(instance), node.context()).run();
            switch (outcome) {
                case dev.berth.core.claim.SnapshotOutcome.Taken t -> world.trace.event(instance.id, "berth snapshot", t.snapshot().snapshotId()
                        + (t.recorded() ? " recorded" : " not recorded") + ", " + t.deleted().size() + " deleted", t.slot());
                case dev.berth.core.claim.SnapshotOutcome.NothingToSnapshot n -> world.trace.event(instance.id, "berth snapshot", n.why(), -1);
            }
        } catch (BerthException e) {
            world.trace.event(instance.id, "berth snapshot fails", SimTrace.firstWords(e.getMessage()), -1);
        } catch (SimulatedCrash e) {
            world.trace.event(instance.id, "berth snapshot crashes", e.getMessage(), -1);
        }
    }
}
