package dev.berth.sim;

import dev.berth.core.claim.ClaimCaches;
import dev.berth.core.claim.ClaimContext;
import dev.berth.core.claim.ClaimException;
import dev.berth.core.claim.ClaimLog;
import dev.berth.core.claim.ClaimOutcome;
import dev.berth.core.claim.ClaimProtocol;
import dev.berth.core.claim.ClaimSettings;
import dev.berth.core.claim.SlotRelease;
import dev.berth.core.claim.SlotSelection;
import dev.berth.core.slot.CorruptSlotRecordException;
import dev.berth.core.slot.SlotCodec;
import dev.berth.core.slot.SlotKeys;
import dev.berth.core.slot.SlotRecord;
import dev.berth.spi.AttachmentState;
import dev.berth.spi.BerthException;
import dev.berth.spi.CloudException;
import dev.berth.spi.InstanceState;
import dev.berth.spi.LifecycleState;
import dev.berth.spi.VolumeAttachment;
import dev.berth.spi.VolumeState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The simulated world: one autoscaling group over a few zones, its instances, EBS volumes
 * and snapshots, the claim store, fault windows, and the invariants checked after every step.
 * Everything random comes from one seeded source; everything timed runs on the scheduler's
 * virtual clock.
 */
final class World {
    enum CallKind { CLOUD, STORE, LOCAL }

    /** A planned crash of the berth process of one instance, at its k-th SPI call. */
    record CrashPlan(int call, boolean afterEffect) {
    }

    /** A planned stall (a long GC pause) of the berth process of one instance, at its k-th SPI call. */
    record PausePlan(int call, long millis) {
    }

    record PauseAfter(String op, long millis) {
    }

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
    final Map<String, SimInstance> instances = new LinkedHashMap<>();
    final Map<String, SimVolume> volumes = new LinkedHashMap<>();
    final Map<String, SimSnapshot> snapshots = new LinkedHashMap<>();
    final Map<String, String> volumeByToken = new HashMap<>();
    final Set<String> zonesDown = new HashSet<>();
    final Counters counters = new Counters();
    /** The store's own hiccups: S3 503 SlowDown bursts and etcd leader elections. */
    final StoreFaults storeFaults = new StoreFaults(this);
    /** One live holder per slot, a slot's identity never changing, moves from recent snapshots only. */
    final SlotInvariants slotInvariants = new SlotInvariants(this);
    /** What each store call costs in backend requests (--store-model); null on the abstract store. */
    StoreCost storeCost;
    /** Elastic IPs and network interfaces, and their invariants. */
    final SimNetwork network = new SimNetwork(this);
    /** The rule the simulated berth takes a slot's address by: the real one, unless a test breaks it. */
    dev.berth.core.claim.AddressTakeover takeover = dev.berth.core.claim.AddressTakeover.LIVENESS_RULE;
    /** The largest desired capacity of the run: the most slots it can have. */
    int maxDesired;
    /** The steps of the run and the violations found. */
    final SimTrace trace = new SimTrace(this::now);
    final Map<String, CrashPlan> crashPlans = new HashMap<>();
    final Map<String, PausePlan> pausePlans = new HashMap<>();
    /** Crash the first berth run of an instance right after its first call named so (regression tests). */
    final Map<String, String> crashAfterOp = new HashMap<>();
    /** Stall the first berth run of an instance right after its first call named so (regression tests). */
    final Map<String, PauseAfter> pauseAfterOp = new HashMap<>();
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
    int desired;
    long staleUntil = -1;
    long throttleUntil = -1;
    long slowStoreUntil = -1;
    long hookTimeoutOverride = -1;
    int maxBerthRuns = Integer.MAX_VALUE;
    /** Off for tests that drive one instance's SPI directly, outside any berth process. */
    boolean autoStartBerth = true;
    /** A fault for tests: attachments stay 'attaching' for ever (an EBS attachment stuck). */
    boolean attachmentsHang;
    /** The next this many volumes created go to 'error' instead of 'available' (a KMS key they cannot use, ...). */
    int createdVolumesToFail;
    /** Unmounts fail (a process keeps the mount point busy). */
    boolean unmountsFail;
    /** Auto Scaling answers "No active Lifecycle Action found" to heartbeats and completions (spot, no hook). */
    boolean noActiveLifecycleAction;
    /** A zone outage happened in this run (a claim error during or after one is explained). */
    boolean outageSeen;
    /** The end of the latest planned stall that has struck (liveness is judged only after it). */
    long stalledUntil = -1;
    private int instanceCounter;
    private int volumeCounter;
    private int snapshotCounter;
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

    /** Launches an instance in the emptiest zone that is up (or the given one); it boots, then runs berth. */
    SimInstance launch(String zone) {
        return launch(zone, null);
    }

    SimInstance launch(String zone, String givenId) {
        var target = zone != null ? zone : emptiestZone();
        ++instanceCounter;
        var id = givenId != null ? givenId : String.format("i-%017x", instanceCounter);
        var instance = new SimInstance(id, target, now(), instanceCounter);
        instance.lifecycle.set(now(), LifecycleState.PENDING);
        instance.state.set(now(), InstanceState.PENDING);
        instances.put(id, instance);
        trace.event(id, "launch", "zone " + target, -1);
        long boot = between(config.bootMinMillis(), config.bootMaxMillis());
        var pool = warmPool;
        scheduler.at(now() + boot, pool == null ? () -> boot(instance) : () -> pool.warm(instance, () -> boot(instance)));
        return instance;
    }

    private String emptiestZone() {
        var counts = new TreeMap<String, Integer>();
        for (var z : config.zones()) {
            if (!zonesDown.contains(z)) {
                counts.put(z, 0);
            }
        }
        if (counts.isEmpty()) {
            return config.zones().getFirst();
        }
        for (var i : instances.values()) {
            if (!i.terminated() && !i.terminationRequested && counts.containsKey(i.zone)) {
                counts.merge(i.zone, 1, Integer::sum);
            }
        }
        int min = counts.values().stream().min(Integer::compare).orElse(0);
        var emptiest = counts.entrySet().stream().filter(e -> e.getValue() == min).map(Map.Entry::getKey).toList();
        return emptiest.get(random.nextInt(emptiest.size()));
    }

    private void boot(SimInstance instance) {
        if (instance.terminationRequested || instance.terminated()) {
            return;
        }
        if (zonesDown.contains(instance.zone)) {
            scheduler.at(now() + 60_000, () -> boot(instance));
            return;
        }
        instance.state.set(now(), InstanceState.RUNNING);
        instance.lifecycle.set(now(), LifecycleState.IN_SERVICE);
        trace.event(instance.id, "boot", "running, in service", -1);
        if (random.nextDouble() < physics.imdsDownShare()) {
            instance.imdsDownUntil = now() + physics.imdsDown().draw(random);
            trace.event(instance.id, "imds", "refuses requests for " + (instance.imdsDownUntil - now()) + " ms after boot", -1);
        }
        if (autoStartBerth) {
            startBerth(instance);
        }
    }

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
        if (explanation() == null) {
            counters.unexplainedClaimErrors++;
            trace.violation("no claim error without a fault that explains it", -1, List.of(instance.id),
                    "berth failed with no planned fault to explain it: " + e.getMessage());
        }
    }

    /** The planned fault that explains claim errors in this run so far, or null. */
    private String explanation() {
        if (outageSeen || !zonesDown.isEmpty()) {
            return "zone outage";
        }
        if (throttleUntil > 0) {
            return "throttling";
        }
        if (!pausePlans.isEmpty() || !pauseAfterOp.isEmpty() || stalledUntil >= 0) {
            return "stalled process";
        }
        if (storeCost != null && storeCost.slowDowns > 0) {
            return "S3 request rate exceeded (503 SlowDown)";
        }
        if (attachmentsHang) {
            return "stuck attachment";
        }
        if (instances.values().stream().anyMatch(i -> i.forceClaim)) {
            return "forced claim";
        }
        return null;
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
        for (var other : instances.values()) {
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

    /**
     * Terminates an instance the way Auto Scaling does: Terminating:Wait while the lifecycle
     * hook runs (the keeper releases the slot and completes it, or the hook times out), then
     * shutting-down, then terminated, when EC2 detaches its volumes.
     */
    void terminate(SimInstance instance, String why) {
        if (instance.terminationRequested || instance.terminated()) {
            return;
        }
        instance.terminationRequested = true;
        trace.event(instance.id, "terminate", why, -1);
        if (instance.state.now() == InstanceState.PENDING || zonesDown.contains(instance.zone)) {
            killProcesses(instance);
            shutDown(instance);
            return;
        }
        if (!config.lifecycleHook()) {
            killProcesses(instance);
            shutDown(instance);
            return;
        }
        instance.lifecycle.set(now(), LifecycleState.TERMINATING_WAIT);
        long timeout = hookTimeoutOverride >= 0 ? hookTimeoutOverride : config.hookTimeoutMillis();
        scheduler.at(now() + timeout, () -> {
            if (instance.lifecycle.now() == LifecycleState.TERMINATING_WAIT) {
                trace.event(instance.id, "lifecycle hook", "timed out", -1);
                proceedTermination(instance);
            }
        });
        if (instance.keeperActive && instance.berth != null && instance.berth.finished()) {
            var node = new SimNode(this, instance);
            var proc = new Scheduler.Proc(instance.id + "#keeper", () -> runKeeper(node));
            node.proc = proc;
            instance.keeper = proc;
            scheduler.start(proc, now() + between(100, 2_000));
        }
    }

    /**
     * A spot interruption: the notice now, and EC2 reclaims the instance two minutes later whatever
     * happens (no lifecycle hook holds a spot instance). A holder whose workload ran must have
     * released its slot by then.
     */
    void spotInterruption(SimInstance instance) {
        if (instance.spotNoticeAt >= 0 || instance.terminated()) {
            return;
        }
        instance.spotNoticeAt = now();
        // an instance in a failed zone is lost already: it cannot act on the notice, and nobody expects it to
        boolean holder = instance.workloadSlot.isPresent() && !zonesDown.contains(instance.zone);
        trace.event(instance.id, "spot interruption notice", "reclaimed in 120 s", -1);
        if (holder && instance.keeperActive && instance.berth != null && instance.berth.finished()) {
            var node = new SimNode(this, instance);
            var proc = new Scheduler.Proc(instance.id + "#keeper", () -> runKeeper(node));
            node.proc = proc;
            instance.keeper = proc;
            scheduler.start(proc, now() + between(100, 5_000));   // the keeper polls IMDS every few seconds
        }
        long noticeAt = now();
        scheduler.at(now() + 120_000, () -> {
            if (holder && !zonesDown.contains(instance.zone) && !zoneDownSince(instance.zone, noticeAt)) {
                for (var s : slotView.all()) {
                    if (s.record().heldBy(instance.id)) {
                        trace.violation("a spot holder releases its slot within the two-minute notice", s.slot(),
                                List.of(instance.id), "slot " + s.slot() + " still held when EC2 reclaimed the instance");
                    }
                }
            }
            if (!instance.terminationRequested) {
                instance.terminationRequested = true;
                trace.event(instance.id, "terminate", "spot: reclaimed by EC2", -1);
                killProcesses(instance);
                shutDown(instance);
            }
        });
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

    void proceedTermination(SimInstance instance) {
        if (instance.lifecycle.now() != LifecycleState.TERMINATING_WAIT) {
            return;
        }
        instance.lifecycle.set(now(), LifecycleState.TERMINATING_PROCEED);
        killProcesses(instance);
        shutDown(instance);
    }

    void killProcesses(SimInstance instance) {
        if (instance.berth != null) {
            scheduler.kill(instance.berth);
        }
        if (instance.snapshotJob != null) {
            scheduler.kill(instance.snapshotJob);
        }
        if (instance.keeper != null) {
            scheduler.kill(instance.keeper);
        }
    }

    private void shutDown(SimInstance instance) {
        instance.state.set(now(), InstanceState.SHUTTING_DOWN);
        scheduler.at(now() + between(20_000, 60_000), () -> {
            instance.state.set(now(), InstanceState.TERMINATED);
            instance.lifecycle.set(now(), LifecycleState.TERMINATED);
            instance.workloadSlot = java.util.OptionalInt.empty();
            instance.mountedVolume = null;
            network.onTerminated(instance);
            slotInvariants.terminated(instance.id);
            long letGo = physics.terminationDetach().draw(random);
            for (var v : volumes.values()) {
                var remaining = v.attachedNow().stream().filter(a -> !a.instanceId().equals(instance.id)).toList();
                if (remaining.size() != v.attachedNow().size() && !zonesDown.contains(v.zone)) {
                    if (letGo > 0) {
                        var detaching = v.attachedNow().stream().map(a -> a.instanceId().equals(instance.id)
                                ? new VolumeAttachment(a.volumeId(), a.instanceId(), a.deviceName(), AttachmentState.DETACHING)
                                : a).toList();
                        v.attachments.set(now(), detaching);
                        scheduler.at(now() + letGo, () -> dropAttachmentsOf(instance, v));
                    } else {
                        dropAttachmentsOf(instance, v);
                    }
                }
            }
            trace.event(instance.id, "terminated", letGo > 0 ? "volumes detaching for " + letGo / 1000 + " s" : "volumes detached", -1);
            if (!instance.healthy || instance.replaceOnTermination) {
                if (liveCount() < desired) {
                    launch(null);
                }
            }
        });
    }

    private void dropAttachmentsOf(SimInstance instance, SimVolume v) {
        var remaining = v.attachedNow().stream().filter(a -> !a.instanceId().equals(instance.id)).toList();
        if (remaining.size() != v.attachedNow().size()) {
            v.attachments.set(now(), remaining);
            v.state.set(now(), remaining.isEmpty() ? VolumeState.AVAILABLE : VolumeState.IN_USE);
        }
    }

    /** When each zone last came back from an outage. */
    private final Map<String, Long> zoneRecoveredAt = new java.util.HashMap<>();

    /** Whether the zone was down at some time since {@code since} (and may be still). */
    boolean zoneDownSince(String zone, long since) {
        return zonesDown.contains(zone) || zoneRecoveredAt.getOrDefault(zone, Long.MIN_VALUE) >= since;
    }

    /** A zone comes back: EC2 finishes detaching the volumes of instances that terminated meanwhile. */
    void recoverZone(String zone) {
        outageSeen = true;
        zonesDown.remove(zone);
        zoneRecoveredAt.put(zone, now());
        for (var v : volumes.values()) {
            if (!v.zone.equals(zone)) {
                continue;
            }
            var remaining = v.attachedNow().stream()
                    .filter(a -> { var i = instances.get(a.instanceId()); return i != null && !i.terminated(); })
                    .toList();
            if (remaining.size() != v.attachedNow().size()) {
                v.attachments.set(now(), remaining);
                v.state.set(now(), remaining.isEmpty() ? VolumeState.AVAILABLE : VolumeState.IN_USE);
            }
        }
    }

    int liveCount() {
        int n = 0;
        for (var i : instances.values()) {
            if (!i.terminated() && !i.terminationRequested) {
                n++;
            }
        }
        return n;
    }

    /** Auto Scaling keeps the desired capacity: every 30 s it launches for any instance that is gone. */
    private boolean capacityCheckRunning;

    private void capacityCheck() {
        while (liveCount() < desired) {
            launch(null);
        }
        scheduler.at(now() + 30_000, this::capacityCheck);
    }

    /** Scales the group to {@code n}: launches, or terminates from the fullest zones (newest first). */
    void setDesired(int n) {
        if (!capacityCheckRunning) {
            capacityCheckRunning = true;
            scheduler.at(now() + 30_000, this::capacityCheck);
        }
        desired = n;
        maxDesired = Math.max(maxDesired, n);
        while (liveCount() < desired) {
            launch(null);
        }
        while (liveCount() > desired) {
            terminate(pickForScaleIn(), "scale in to " + n);
        }
    }

    private SimInstance pickForScaleIn() {
        var counts = new TreeMap<String, Integer>();
        for (var i : instances.values()) {
            if (!i.terminated() && !i.terminationRequested) {
                counts.merge(i.zone, 1, Integer::sum);
            }
        }
        var fullest = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        SimInstance pick = null;
        for (var i : instances.values()) {
            if (!i.terminated() && !i.terminationRequested && i.zone.equals(fullest)) {
                pick = i;
            }
        }
        return pick;
    }

    // EC2 / EBS, applied at the moment a call takes effect ----------------------------------

    private long lag() {
        if (now() < staleUntil) {
            return config.staleLagMillis() <= 0 ? 0 : random.nextLong(config.staleLagMillis() + 1);
        }
        return physics.describeLag().draw(random);
    }

    long viewTime() {
        return Math.max(0, now() - lag());
    }

    void checkZoneUp(String zone, String resource) {
        if (zonesDown.contains(zone)) {
            throw new CloudException(CloudException.Reason.UNAVAILABLE, resource, "zone " + zone
                    + " is unavailable (simulated outage)");
        }
    }

    SimVolume createVolume(dev.berth.spi.VolumeRequest request, SimInstance caller) {
        checkZoneUp(request.zone(), request.zone());
        var existing = volumeByToken.get(request.clientToken());
        if (existing != null && !volumes.containsKey(existing)) {
            trace.violation("gc never deletes what a slot or an in-flight intent names", -1, List.of(caller.id),
                    "volume " + existing + " of client token " + request.clientToken() + " was deleted before its intent was done");
            throw new CloudException(CloudException.Reason.INVALID, existing, "volume " + existing + " was deleted");
        }
        if (existing != null) {
            var earlier = volumes.get(existing);
            if (earlier.sizeGiB != request.sizeGiB() || !java.util.Objects.equals(earlier.snapshotId,
                    request.snapshotId().orElse(null)) || !earlier.zone.equals(request.zone())) {
                throw new CloudException(CloudException.Reason.TOKEN_MISMATCH, request.clientToken(),
                        "IdempotentParameterMismatch: client token " + request.clientToken() + " was used for another request");
            }
            counters.idempotentCreates++;
            return earlier;
        }
        if (!request.tags().containsKey("berth:cluster")) {
            trace.violation("every resource carries the cluster tag", -1, List.of(caller.id),
                    "volume created without the berth:cluster tag");
        }
        String fromFs = null;
        if (request.snapshotId().isPresent()) {
            var snap = snapshots.get(request.snapshotId().get());
            if (snap == null || snap.deleted) {
                throw new CloudException(CloudException.Reason.NOT_FOUND, request.snapshotId().get(),
                        "snapshot " + request.snapshotId().get() + " does not exist");
            }
            if (request.sizeGiB() < snap.sizeGiB) { // as EC2 answers
                throw new CloudException(CloudException.Reason.INVALID, snap.id, "Volume of " + request.sizeGiB()
                        + "GiB is smaller than snapshot '" + snap.id + "', expect size >= " + snap.sizeGiB + "GiB");
            }
            fromFs = snap.filesystem;
        }
        var id = String.format("vol-%017x", ++volumeCounter);
        var volume = new SimVolume(id, request.zone(), request.sizeGiB(), now(), request.snapshotId().orElse(null),
                request.clientToken());
        volume.tags.putAll(request.tags());
        volume.filesystem = fromFs;
        if (request.snapshotId().isPresent()) {
            volume.files.putAll(snapshots.get(request.snapshotId().get()).files);
            volume.identityFingerprint = snapshots.get(request.snapshotId().get()).identityFingerprint;
        }
        volume.state.set(now(), VolumeState.CREATING);
        volume.attachments.set(now(), List.of());
        volumes.put(id, volume);
        volumeByToken.put(request.clientToken(), id);
        counters.volumesCreated++;
        var ready = createdVolumesToFail > 0 ? VolumeState.ERROR : VolumeState.AVAILABLE;
        if (createdVolumesToFail > 0) {
            createdVolumesToFail--;
        }
        scheduler.at(now() + physics.createVolume().draw(random), () -> volume.state.set(now(), ready));
        int slot = slotTag(volume);
        long sameZone = volumes.values().stream()
                .filter(v -> v.zone.equals(volume.zone) && slotTag(v) == slot && !v.tags.containsKey("berth:retired")
                        && v.state.now() != VolumeState.ERROR && v.state.now() != VolumeState.DELETED
                        && !slotView.retired(slot, v.id))
                .count();
        if (slot >= 0 && sameZone > 1) {
            trace.violation("one live volume per slot and zone", slot, List.of(caller.id),
                    "slot " + slot + " now has " + sameZone + " volumes in zone " + volume.zone);
        }
        return volume;
    }

    /** A volume a slot record lists as retired (left behind by a move) is never attached for that slot again. */
    private void checkNotRetired(SimInstance caller, SimVolume volume) {
        int slot = slotTag(volume);
        if (slot < 0) {
            return;
        }
        if (slotView.retired(slot, volume.id)) {
            counters.retiredAttached++;
            trace.violation("no retired volume is used again", slot, List.of(caller.id), "volume " + volume.id
                    + " was retired from slot " + slot + " and is being attached again by " + caller.id);
        }
    }

    static int slotTag(SimVolume v) {
        var s = v.tags.get("berth:slot");
        return s == null ? -1 : Integer.parseInt(s);
    }

    VolumeAttachment attach(SimInstance caller, String volumeId) {
        var volume = volumes.get(volumeId);
        if (volume == null || volume.createdAt > viewTime()) {
            throw new CloudException(CloudException.Reason.NOT_FOUND, volumeId, "volume " + volumeId + " does not exist (yet)");
        }
        checkZoneUp(volume.zone, volumeId);
        checkNotRetired(caller, volume);
        if (!volume.zone.equals(caller.zone)) {
            throw new CloudException(CloudException.Reason.INVALID, volumeId, "volume " + volumeId + " is in zone "
                    + volume.zone + " and instance " + caller.id + " in " + caller.zone);
        }
        if (volume.state.now() == VolumeState.CREATING) {
            throw new CloudException(CloudException.Reason.CONFLICT, volumeId, "volume " + volumeId + " is still creating");
        }
        if (!volume.attachedNow().isEmpty()) {
            var other = volume.attachedNow().getFirst();
            throw new CloudException(CloudException.Reason.CONFLICT, volumeId, "volume " + volumeId
                    + " is in use by " + other.instanceId() + " (" + other.state().name().toLowerCase() + ")");
        }
        var device = "/dev/sd" + (char) ('f' + (caller.nextDevice++ % 10));
        var attaching = new VolumeAttachment(volumeId, caller.id, device, AttachmentState.ATTACHING);
        volume.attachments.set(now(), List.of(attaching));
        volume.state.set(now(), VolumeState.IN_USE);
        if (attachmentsHang) {
            return attaching;
        }
        scheduler.at(now() + physics.attach().draw(random), () -> {
            var current = volume.attachedNow();
            if (current.size() == 1 && current.getFirst().instanceId().equals(caller.id)
                    && current.getFirst().state() == AttachmentState.ATTACHING) {
                volume.attachments.set(now(), List.of(new VolumeAttachment(volumeId, caller.id, device,
                        AttachmentState.ATTACHED)));
            }
        });
        return attaching;
    }

    void detach(SimInstance caller, String volumeId) {
        var volume = volumes.get(volumeId);
        if (volume == null) {
            return;
        }
        checkZoneUp(volume.zone, volumeId);
        var mine = volume.attachedNow().stream().filter(a -> a.instanceId().equals(caller.id)).findFirst();
        if (mine.isEmpty() || mine.get().state() == AttachmentState.DETACHING) {
            return;
        }
        var a = mine.get();
        volume.attachments.set(now(), List.of(new VolumeAttachment(volumeId, caller.id, a.deviceName(), AttachmentState.DETACHING)));
        scheduler.at(now() + physics.detach().draw(random), () -> {
            var current = volume.attachedNow();
            if (current.size() == 1 && current.getFirst().instanceId().equals(caller.id)) {
                volume.attachments.set(now(), List.of());
                volume.state.set(now(), VolumeState.AVAILABLE);
            }
        });
    }

    SimSnapshot snapshot(String volumeId, Map<String, String> tags) {
        var volume = volumes.get(volumeId);
        if (volume == null) {
            throw new CloudException(CloudException.Reason.NOT_FOUND, volumeId, "volume " + volumeId + " does not exist");
        }
        checkZoneUp(volume.zone, volumeId);
        for (var earlier : snapshots.values()) {
            if (!earlier.deleted && earlier.volumeId.equals(volumeId) && earlier.tags.entrySet().containsAll(tags.entrySet())) {
                return earlier; // what AwsCloudProvider finds by volume and tags
            }
        }
        var id = String.format("snap-%017x", ++snapshotCounter);
        var snap = new SimSnapshot(id, volumeId, volume.sizeGiB, now(), new TreeMap<>(tags), volume.filesystem,
                new TreeMap<>(volume.files), volume.identityFingerprint);
        snapshots.put(id, snap);
        counters.snapshots++;
        if (periodic(snap)) {
            counters.snapshotsTaken++;
        }
        scheduler.at(now() + SNAPSHOT_COMPLETION.draw(random), () -> complete(snap, volume.zone));
        return snap;
    }

    /** EBS snapshots take minutes, with a long tail; one whose zone is down completes once the zone is back. */
    static final HeavyTail SNAPSHOT_COMPLETION = HeavyTail.seconds(90, 900, 2_400);

    private void complete(SimSnapshot snap, String zone) {
        if (zonesDown.contains(zone)) {
            scheduler.at(now() + 60_000, () -> complete(snap, zone));
            return;
        }
        snap.completed = true;
    }

    static boolean periodic(SimSnapshot snap) {
        return dev.berth.core.claim.SnapshotRetention.KIND_PERIODIC.equals(snap.tags.get(dev.berth.core.claim.SnapshotRetention.TAG_KIND));
    }

    /** Retention deletes a snapshot: never one a slot record names (its latest, or a volume intent's source). */
    void deleteSnapshot(SimInstance caller, String snapshotId) {
        var snap = snapshots.get(snapshotId);
        if (snap == null || snap.deleted) {
            return;
        }
        if (!snap.tags.containsKey("berth:cluster")) {
            trace.violation("berth deletes only its own snapshots", -1, List.of(caller.id), "snapshot " + snapshotId
                    + " has no berth:cluster tag");
        }
        for (var s : slotView.all()) {
            var record = s.record();
            var slot = java.util.OptionalInt.of(s.slot());
            boolean latest = record.latestSnapshot() != null && record.latestSnapshot().snapshotId().equals(snapshotId);
            boolean source = record.volumeIntent() != null && snapshotId.equals(record.volumeIntent().sourceSnapshotId());
            if (latest || source) {
                trace.violation("retention never deletes a snapshot a slot record names", slot.getAsInt(), List.of(caller.id),
                        "snapshot " + snapshotId + " deleted while slot " + slot.getAsInt() + " names it as its "
                                + (latest ? "latest snapshot" : "volume intent's source"));
            }
        }
        snap.deleted = true;
        counters.snapshotsDeleted++;
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
        if (!instance.running() || zonesDown.contains(instance.zone)
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

    /**
     * Makes the volumes a store's slot records name exist in this world (formatted, as their
     * records say), so a one-node world can resume or take over slots claimed in earlier runs.
     */
    void seedVolumesFromStore() {
        for (var s : slotView.all()) {
            var record = s.record();
            var slot = java.util.OptionalInt.of(s.slot());
            if (record.volume() == null || volumes.containsKey(record.volume().volumeId())) {
                continue;
            }
            var v = new SimVolume(record.volume().volumeId(), record.volume().zone(), settings.volume().sizeGiB(), 0, null,
                    "seeded-" + record.volume().volumeId());
            v.tags.put("berth:cluster", keys.cluster());
            v.tags.put("berth:slot", Integer.toString(slot.getAsInt()));
            v.filesystem = record.formatted() ? settings.volume().filesystem() : null;
            v.state.set(0, VolumeState.AVAILABLE);
            v.attachments.set(0, List.of());
            volumes.put(v.id, v);
        }
    }

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

    void deleteVolume(SimInstance caller, String volumeId) {
        var v = volumes.get(volumeId);
        if (v == null) {
            return;
        }
        checkZoneUp(v.zone, volumeId);
        if (!v.attachedNow().isEmpty() || v.state.now() == VolumeState.CREATING) {
            throw new CloudException(CloudException.Reason.CONFLICT, volumeId, "volume " + volumeId + " is "
                    + v.state.now().name().toLowerCase() + " (VolumeInUse)");
        }
        gc.checkVolume(volumeId, caller.id);
        volumes.remove(volumeId);
        trace.event(caller.id, "ec2: delete volume", volumeId, slotTag(v));
    }

    // Devices, as the instance's kernel sees them --------------------------------------------

    void onMkfs(SimInstance instance, SimVolume volume) {
        if (volume.formats > 0 || volume.filesystem != null) {
            trace.violation("nothing formatted twice", slotTag(volume), List.of(instance.id),
                    "volume " + volume.id + " was asked to be formatted again (formats so far: " + volume.formats + ")");
        }
    }

    void onMount(SimInstance instance, SimVolume volume) {
        for (var other : instances.values()) {
            if (other != instance && !other.terminated() && volume.id.equals(other.mountedVolume)) {
                trace.violation("every volume mounted by at most one instance", slotTag(volume), List.of(other.id, instance.id),
                        "volume " + volume.id + " mounted by " + other.id + " and " + instance.id);
            }
        }
    }

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
