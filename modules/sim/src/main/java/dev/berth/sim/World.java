package dev.berth.sim;

import dev.berth.core.claim.ClaimCaches;
import dev.berth.core.claim.ClaimException;
import dev.berth.core.claim.ClaimLog;
import dev.berth.core.claim.ClaimOutcome;
import dev.berth.core.claim.ClaimProtocol;
import dev.berth.core.claim.ClaimSettings;
import dev.berth.core.claim.SlotSelection;
import dev.berth.core.slot.CorruptSlotRecordException;
import dev.berth.core.slot.SlotCodec;
import dev.berth.core.slot.SlotKeys;
import dev.berth.core.slot.SlotRecord;
import dev.berth.spi.BerthException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The simulated world: one autoscaling group over a few zones ({@link SimGroup}), its EBS volumes
 * and snapshots ({@link SimEbs}), addresses and interfaces ({@link SimNetwork}), the claim store
 * ({@link SimStore}, its cost and hiccups), the planned faults ({@link SimFaults}), the invariants
 * and the trace ({@link SimTrace}). World itself wires them together, runs the berth processes
 * (claim, keeper, snapshot job) of each instance, and checks every slot record written. Everything
 * random comes from one seeded source; everything timed runs on the scheduler's virtual clock.
 */
final class World {
    enum CallKind { CLOUD, STORE, LOCAL }

    /** Runs the world until {@code done} holds or {@code limitMillis} of simulated time pass; true when done. */
    boolean runUntil(java.util.function.BooleanSupplier done, long limitMillis) {
        long deadline = now() + limitMillis;
        while (!done.getAsBoolean()) {
            if (scheduler.nextTime() > deadline || !scheduler.step()) {
                return done.getAsBoolean();
            }
        }
        return true;
    }

    final SimConfig config;
    final ClaimSettings settings;
    final SplittableRandom random;
    final Scheduler scheduler = new Scheduler();
    /** How long things take; tests replace one latency to force a delay. */
    Physics physics = Physics.realistic();
    final dev.berth.spi.ClaimStore store;
    final Counters counters = new Counters();
    /** The store's own hiccups: S3 503 SlowDown bursts and etcd leader elections. */
    final StoreFaults storeFaults = new StoreFaults(this);
    /** One live holder per slot, a slot's identity never changing, moves from recent snapshots only. */
    final SlotInvariants slotInvariants = new SlotInvariants(this);
    /** What each store call costs in backend requests (--store-model); null on the abstract store. */
    StoreCost storeCost;
    /** Elastic IPs and network interfaces, and their invariants. */
    final SimNetwork network = new SimNetwork(this);
    /** The Auto Scaling group: instances, capacity, launches and terminations. */
    final SimGroup group = new SimGroup(this);
    /** Planned and injected faults, and what they explain. */
    final SimFaults faults = new SimFaults(this);
    /** EBS volumes and snapshots, and their invariants. */
    final SimEbs ebs = new SimEbs(this);
    /** The rule the simulated berth takes a slot's address by: the real one, unless a test breaks it. */
    dev.berth.core.claim.AddressTakeover takeover = dev.berth.core.claim.AddressTakeover.LIVENESS_RULE;
    /** The steps of the run and the violations found. */
    final SimTrace trace = new SimTrace(this::now);
    /** EBS ModifyVolume (issue 13). */
    final SimModifications modifications = new SimModifications(this);
    /** The operator's gc runs and the invariant they keep. */
    final SimGc gc = new SimGc(this);
    /** A warm pool every launch goes through, once a plan turns it on; null without one. */
    WarmPool warmPool;
    /** The volume size berth runs are configured with from now on (a plan's resize step); 0 for the default. */
    int volumeSizeGiB;
    private final Supplier<SlotSelection> selection;
    private final SlotKeys keys;
    /** This world's memos, handed to every claim of its nodes: the same records and ids are read thousands of times. */
    private final ClaimCaches caches = ClaimCaches.memoizing();
    private final SlotCodec codec = caches.codec();
    /** The slot records as the store holds them now (for the invariants, the director and the report). */
    final SlotView slotView;
    private final ClaimLog log;
    int maxBerthRuns = Integer.MAX_VALUE;
    /** Off for tests that drive one instance's SPI directly, outside any berth process. */
    boolean autoStartBerth = true;
    dev.berth.core.claim.EnvFileWriter envWriter = (file, values) -> { };
    final List<dev.berth.core.claim.ClaimOutcome> outcomes = new ArrayList<>();
    final List<RuntimeException> failures = new ArrayList<>();
    /** The node identity each identity key names, by the key array itself (keys are never changed in place). */
    final Map<byte[], dev.berth.spi.NodeIdentity> identityNames = new java.util.IdentityHashMap<>();

    World(SimConfig config, ClaimSettings settings, long seed, Supplier<SlotSelection> selection, ClaimLog log) {
        this(config, settings, seed, selection, log, new SimStore());
    }

    World(SimConfig config, ClaimSettings settings, long seed, Supplier<SlotSelection> selection, ClaimLog log,
          dev.berth.spi.ClaimStore store) {
        this.store = store;
        this.config = config;
        this.settings = settings;
        this.random = new SplittableRandom(seed);
        this.selection = selection;
        this.keys = new SlotKeys(settings.cluster());
        this.slotView = new SlotView(store, keys, codec);
        this.log = log;
    }

    long now() {
        return scheduler.now();
    }

    long between(long min, long max) {
        return max <= min ? min : min + random.nextLong(max - min + 1);
    }

    // The group ---------------------------------------------------------------------------

    void startBerth(SimInstance instance) {
        instance.berthRuns++;
        if (instance.bootStartedAt < 0) {
            instance.bootStartedAt = now();
        }
        var node = new SimNode(this, instance);
        var proc = new Scheduler.Proc(instance.id + "#" + instance.berthRuns, () -> runBerth(node));
        node.proc = proc;
        instance.berth = proc;
        scheduler.start(proc, now());
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
                case ClaimOutcome.Deferred d -> trace.event(instance.id, "berth exits", "deferred: " + d.lifecycleState(), -1);
                case ClaimOutcome.Full f -> {
                    counters.fullOutcomes++;
                    trace.event(instance.id, "berth exits", "full: " + f.policy().configName(), -1);
                    scheduleRestart(instance);
                }
            }
            result = "done";
        } catch (ClaimException e) {
            failures.add(e);
            counters.claimErrors++;
            trace.event(instance.id, "berth fails", e.kind() + ": " + SimTrace.firstWords(e.getMessage()), -1);
            if (e.kind() == ClaimException.Kind.DATA_SAFETY) {
                trace.violation("data-safety stop", -1, List.of(instance.id), e.getMessage());
            } else {
                checkExplained(instance, e);
            }
            scheduleRestart(instance);
            result = "failed";
        } catch (BerthException e) {
            failures.add(e);
            counters.claimErrors++;
            trace.event(instance.id, "berth fails", SimTrace.firstWords(e.getMessage()), -1);
            checkExplained(instance, e);
            scheduleRestart(instance);
            result = "failed";
        } catch (SimulatedCrash e) {
            counters.crashes++;
            trace.event(instance.id, "berth crashes", e.getMessage(), -1);
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
        if (faults.explanation() == null) {
            counters.unexplainedClaimErrors++;
            trace.violation("no claim error without a fault that explains it", -1, List.of(instance.id),
                    "berth failed with no planned fault to explain it: " + e.getMessage());
        }
    }

    ClaimSettings settingsFor(SimInstance instance) {
        if (instance.settingsOverride != null) {
            return instance.settingsOverride;
        }
        return volumeSizeGiB <= 0 ? settings : withVolumeSize(settings, volumeSizeGiB);
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
            instance.readyAt = now();
        }
        counters.ready++;
        node.readyRun = true;
        new WarmPool(this).check(instance, slot, "started the workload of");
        startSnapshotTimer(instance);
        trace.event(instance.id, "ready", "slot " + slot, slot);
        for (var other : group.instances.values()) {
            if (other != instance && !other.terminated() && other.workloadSlot.isPresent()
                    && other.workloadSlot.getAsInt() == slot && !other.terminationRequested) {
                trace.violation("one live workload per slot", slot, List.of(other.id, instance.id),
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
        scheduler.at(now() + between(10_000, 30_000), () -> {
            if (!instance.terminated() && !instance.terminationRequested && instance.running()) {
                startBerth(instance);
            }
        });
    }

    /** Starts the keeper of an instance told to go ({@code berth keeper}: it lets the slot go), after a delay drawn in the range. */
    void startKeeper(SimInstance instance, long minDelay, long maxDelay) {
        var node = new SimNode(this, instance);
        var proc = new Scheduler.Proc(instance.id + "#keeper", () -> runKeeper(node));
        node.proc = proc;
        instance.keeper = proc;
        scheduler.start(proc, now() + between(minDelay, maxDelay));
    }

    private void runKeeper(SimNode node) {
        var instance = node.instance;
        try {
            var context = node.context();
            var keeper = new dev.berth.core.claim.SlotKeeper(settings, context);
            // as berth keeper does: poll the notice through the retry layer (a throttled IMDS read is a bad second)
            var notice = keeper.awaitNotice(5_000, 60_000).orElseThrow(() -> new BerthException("no termination notice"));
            keeper.letGo(notice, Optional.empty(), reason -> node.workloadStopped());
        } catch (BerthException e) {
            trace.event(instance.id, "keeper fails", SimTrace.firstWords(e.getMessage()), -1);
        } catch (SimulatedCrash e) {
            trace.event(instance.id, "keeper crashes", e.getMessage(), -1);
        }
        node.finish("keeper");
    }


    /** A zone comes back: EC2 finishes detaching the volumes of instances that terminated meanwhile. */
    void recoverZone(String zone) {
        faults.zoneRecovered(zone);
        ebs.zoneRecovered(zone);
    }


    // EC2 / EBS, applied at the moment a call takes effect ----------------------------------

    private long lag() {
        if (now() < faults.staleUntil) {
            return config.staleLagMillis() <= 0 ? 0 : random.nextLong(config.staleLagMillis() + 1);
        }
        return physics.describeLag().draw(random);
    }

    long viewTime() {
        return Math.max(0, now() - lag());
    }


    // berth snapshot, on a timer ----------------------------------------------------------------

    /** Whether holders run {@code berth snapshot} every {@code snapshots.everyMinutes} (the image's timer). */
    boolean periodicSnapshots;

    /** Starts the instance's snapshot timer (systemd: OnActiveSec with a randomized delay, then OnUnitActiveSec). */
    private void startSnapshotTimer(SimInstance instance) {
        long every = settingsFor(instance).snapshots().everyMinutes() * 60_000L;
        if (!periodicSnapshots || instance.snapshotTimer || every <= 0) {
            return;
        }
        instance.snapshotTimer = true;
        scheduler.at(now() + between(60_000, every), () -> snapshotTick(instance, every));
    }

    private void snapshotTick(SimInstance instance, long every) {
        if (instance.terminated() || instance.terminationRequested) {
            return;
        }
        scheduler.at(now() + every, () -> snapshotTick(instance, every));
        if (!instance.running() || faults.zonesDown.contains(instance.zone)
                || (instance.snapshotJob != null && !instance.snapshotJob.finished())) {
            return;   // unreachable, or the last run still waits for its snapshot (systemd does not start it twice)
        }
        var node = new SimNode(this, instance);
        var proc = new Scheduler.Proc(instance.id + "#snapshot", () -> runSnapshotJob(node));
        node.proc = proc;
        instance.snapshotJob = proc;
        scheduler.start(proc, now());
    }

    private void runSnapshotJob(SimNode node) {
        var instance = node.instance;
        try {
            var outcome = new dev.berth.core.claim.PeriodicSnapshot(settingsFor(instance), node.context()).run();
            switch (outcome) {
                case dev.berth.core.claim.SnapshotOutcome.Taken t -> trace.event(instance.id, "berth snapshot", t.snapshot().snapshotId()
                        + (t.recorded() ? " recorded" : " not recorded") + ", " + t.deleted().size() + " deleted", t.slot());
                case dev.berth.core.claim.SnapshotOutcome.NothingToSnapshot n -> trace.event(instance.id, "berth snapshot", n.why(), -1);
            }
        } catch (BerthException e) {
            trace.event(instance.id, "berth snapshot fails", SimTrace.firstWords(e.getMessage()), -1);
        } catch (SimulatedCrash e) {
            trace.event(instance.id, "berth snapshot crashes", e.getMessage(), -1);
        }
    }

    // The store, with the invariant on holders ----------------------------------------------

    /** Called after every successful write to a slot key, with the record written (or null for a delete). */
    void onSlotWritten(SimInstance writer, String key, byte[] value) {
        var slot = keys.slotOf(key);
        if (slot.isEmpty() || value == null) {
            return;
        }
        SlotRecord record;
        try {
            record = codec.decode(key, slot.getAsInt(), keys.cluster(), value);
        } catch (CorruptSlotRecordException e) {
            trace.violation("slot records stay readable", slot.getAsInt(), List.of(writer.id), e.getMessage());
            return;
        }
        int n = slot.getAsInt();
        network.onSlotWritten(writer, n, record);
        if (record.heldBy(writer.id)) {
            new WarmPool(this).check(writer, n, "claimed");
        }
        gc.checkWritten(record, writer.id);
        slotInvariants.written(writer, n, record);
    }

    /** A slot record deleted (gc of a slot above capacity): a slot made again later starts afresh. */
    void onSlotDeleted(SimInstance writer, String key) {
        var slot = keys.slotOf(key);
        if (slot.isPresent()) {
            slotInvariants.deleted(slot.getAsInt());
            trace.event(writer.id, "slot deleted", key, slot.getAsInt());
        }
    }

    // Devices, as the instance's kernel sees them --------------------------------------------

    SlotKeys keys() {
        return keys;
    }

    SlotCodec codec() {
        return codec;
    }

    ClaimCaches caches() {
        return caches;
    }

    ClaimLog log() {
        return log;
    }

    /** Counters a run reports. */
    static final class Counters {
        long spiCalls;
        long cloudCalls;
        long storeCalls;
        long claimWrites;
        long volumesCreated;
        long idempotentCreates;
        long snapshots;
        long crashes;
        long claimErrors;
        long fullOutcomes;
        long ready;
        long throttled;
        long unexplainedClaimErrors;
        long snapshotsTaken;
        long snapshotsDeleted;
        long movesFromLatestSnapshot;
        long maxDataLossMillis;
        long retiredAttached;
        final List<Integer> happyPathCalls = new ArrayList<>();
    }
}
