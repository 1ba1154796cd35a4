package dev.berth.sim;

import dev.berth.core.slot.SlotRecord;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The invariants checked on every slot record written: at most one live holder per slot (each
 * instance that was written as holder believes it holds the slot until it writes otherwise or
 * dies), a slot's identity never changes, and a move from a periodic snapshot uses one younger
 * than the bound.
 */
final class SlotInvariants {
    private final World world;
    private final Map<Integer, Set<String>> believedHolders = new TreeMap<>();
    private final Map<Integer, String> firstIdentity = new HashMap<>();
    private final Set<String> movesFromSnapshots = new HashSet<>();

    SlotInvariants(World world) {
        this.world = world;
    }

    /** Checks a record {@code writer} wrote to slot {@code n}. */
    void written(SimInstance writer, int n, SlotRecord record) {
        var believers = believedHolders.computeIfAbsent(n, k -> new java.util.TreeSet<>());
        if (record.holder() == null) {
            believers.remove(writer.id);
        } else {
            var holder = record.holder().instanceId();
            if (!believers.contains(holder)) {
                for (var other : List.copyOf(believers)) {
                    var o = world.group.instances.get(other);
                    if (o == null || o.terminated()) {
                        believers.remove(other);
                        continue;
                    }
                    if (writer.forceClaim) {
                        believers.remove(other);
                        world.trace.event(other, "fenced", "slot " + n + " forced away at epoch " + record.epoch(), n);
                        continue;
                    }
                    world.trace.violation("at most one live holder per slot", n, List.of(other, holder),
                            "instance " + holder + " took slot " + n + " at epoch " + record.epoch()
                                    + " while " + other + " (" + o.state.now().name().toLowerCase() + ") still held it");
                    believers.remove(other);
                }
                believers.add(holder);
            }
        }
        if (record.identity() == null && record.volume() == null && writer.id.startsWith("operator-")) {
            firstIdentity.remove(n);   // gc emptied a slot above capacity: a new identity may come later
        }
        var intent = record.volumeIntent();
        if (intent != null && intent.sourceSnapshotId() != null && world.ebs.snapshots.containsKey(intent.sourceSnapshotId())
                && SimEbs.periodic(world.ebs.snapshots.get(intent.sourceSnapshotId()))
                && movesFromSnapshots.add(n + "/" + record.epoch() + "/" + intent.sourceSnapshotId())) {
            var used = world.ebs.snapshots.get(intent.sourceSnapshotId());
            long age = world.now() - used.createdAt;
            world.counters.movesFromLatestSnapshot++;
            world.counters.maxDataLossMillis = Math.max(world.counters.maxDataLossMillis, age);
            long bound = world.processes.settingsFor(writer).snapshots().maxAgeMillis();
            world.trace.event(writer.id, "move from latest snapshot", "slot " + n + " from " + used.id + ", " + age / 60_000
                    + " min old (bound " + bound / 60_000 + ")", n);
            if (age > bound + 60_000) {
                world.trace.violation("data loss is bounded: no move from a snapshot older than the bound", n, List.of(writer.id),
                        "slot " + n + " moves from snapshot " + used.id + " taken " + age / 60_000 + " minutes ago; the"
                                + " bound is " + bound / 60_000 + " minutes");
            }
        }
        if (record.identity() != null) {
            var first = firstIdentity.putIfAbsent(n, record.identity().fingerprint());
            if (first != null && !first.equals(record.identity().fingerprint())) {
                world.trace.violation("a slot's identity never changes", n, List.of(writer.id),
                        "slot " + n + " identity changed from " + first + " to " + record.identity().fingerprint());
            }
        }
    }

    /** A slot record deleted (gc of a slot above capacity): a slot made again later starts afresh. */
    void deleted(int slot) {
        firstIdentity.remove(slot);
        believedHolders.remove(slot);
    }

    /** A terminated instance believes nothing any more. */
    void terminated(String instanceId) {
        for (var set : believedHolders.values()) {
            set.remove(instanceId);
        }
    }
}
