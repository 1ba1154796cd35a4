package dev.berth.sim;

import dev.berth.core.claim.ClaimCaches;
import dev.berth.core.claim.ClaimLog;
import dev.berth.core.claim.ClaimSettings;
import dev.berth.core.claim.SlotSelection;
import dev.berth.core.slot.CorruptSlotRecordException;
import dev.berth.core.slot.SlotCodec;
import dev.berth.core.slot.SlotKeys;
import dev.berth.core.slot.SlotRecord;
import dev.berth.spi.Versioned;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    /** The berth processes of the instances (claim, keeper, snapshot job) and what their outcomes must show. */
    final BerthProcesses processes;
    /** The Auto Scaling group: instances, capacity, launches and terminations. */
    final SimGroup group = new SimGroup(this);
    /** Planned and injected faults, and what they explain. */
    final SimFaults faults = new SimFaults(this);
    /** EBS volumes and snapshots, and their invariants. */
    final SimEbs ebs = new SimEbs(this);
    /** The steps of the run and the violations found. */
    final SimTrace trace = new SimTrace(this::now);
    /** EBS ModifyVolume (issue 13). */
    final SimModifications modifications = new SimModifications(this);
    /** The operator's gc runs and the invariant they keep. */
    final SimGc gc = new SimGc(this);
    /** A warm pool every launch goes through, once a plan turns it on; null without one. */
    WarmPool warmPool;
    private final SlotKeys keys;
    /** This world's memos, handed to every claim of its nodes: the same records and ids are read thousands of times. */
    private final ClaimCaches caches = ClaimCaches.memoizing();
    private final SlotCodec codec = caches.codec();
    /** The slot records as the store holds them now (for the invariants, the director and the report). */
    final SlotView slotView;
    private final ClaimLog log;
    /** The node identity each identity key names, by the key array itself (keys are never changed in place). */
    final Map<byte[], dev.berth.spi.NodeIdentity> identityNames = new java.util.IdentityHashMap<>();
    /** The last listing as {@link dev.berth.spi.ClaimStore#listHinted}'s default shows it, and the listing it shows. */
    private List<Versioned> hintedOf;
    private List<dev.berth.spi.Hinted> hinted;

    World(SimConfig config, ClaimSettings settings, long seed, Supplier<SlotSelection> selection, ClaimLog log) {
        this(config, settings, seed, selection, log, new SimStore());
    }

    World(SimConfig config, ClaimSettings settings, long seed, Supplier<SlotSelection> selection, ClaimLog log,
          dev.berth.spi.ClaimStore store) {
        this.store = store;
        this.config = config;
        this.settings = settings;
        this.random = new SplittableRandom(seed);
        this.processes = new BerthProcesses(this, selection);
        this.keys = new SlotKeys(settings.cluster());
        this.slotView = new SlotView(store, keys, codec);
        this.log = log;
    }

    long now() {
        return scheduler.now();
    }

    /**
     * {@code values} as a store whose listing carries values lists them hinted (the default of
     * {@link dev.berth.spi.ClaimStore#listHinted}); the same list again for the same listing ({@link SimStore}
     * answers an unchanged prefix with the same list), so that a claim polling an unchanged table sees so at once.
     */
    List<dev.berth.spi.Hinted> hinted(List<Versioned> values) {
        if (values != hintedOf) {
            var result = new ArrayList<dev.berth.spi.Hinted>(values.size());
            for (var v : values) {
                result.add(new dev.berth.spi.Hinted(v.key(), v.version(), java.util.Optional.empty(), java.util.Optional.of(v)));
            }
            hintedOf = values;
            hinted = java.util.Collections.unmodifiableList(result);
        }
        return hinted;
    }

    long between(long min, long max) {
        return max <= min ? min : min + random.nextLong(max - min + 1);
    }

    /** A zone comes back from an outage: EC2 finishes detaching the volumes of instances that terminated meanwhile. */
    void recoverZone(String zone) {
        faults.zoneRecovered(zone);
        ebs.zoneRecovered(zone);
    }

    // Describes lag behind ------------------------------------------------------------------

    private long lag() {
        if (now() < faults.staleUntil) {
            return config.staleLagMillis() <= 0 ? 0 : random.nextLong(config.staleLagMillis() + 1);
        }
        return physics.describeLag().draw(random);
    }

    long viewTime() {
        return Math.max(0, now() - lag());
    }

    // The store: every slot record written is checked --------------------------------------

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
