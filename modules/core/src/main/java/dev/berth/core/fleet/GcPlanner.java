package dev.berth.core.fleet;

import dev.berth.core.claim.HolderStatus;
import dev.berth.spi.Snapshot;
import dev.berth.spi.Volume;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Decides from one {@link FleetView} what gc may delete: volumes no slot names (orphans), retired
 * volumes, snapshots of cross-zone moves that are over, and, only when the operator names them,
 * the slots above capacity that nobody holds, with their volumes. Never anything {@link Protection}
 * protects, never a volume attached anywhere, never anything younger than {@code olderThanMillis}.
 * Snapshots other than move snapshots (periodic ones) are left to their own retention.
 */
public final class GcPlanner {
    static final String TAG_EPOCH = "berth:epoch";

    private GcPlanner() {
    }

    /** A snapshot berth made to move a slot's volume across zones (tagged with the slot's epoch). */
    static boolean isMoveSnapshot(Snapshot s) {
        return s.tags().containsKey(TAG_EPOCH) && s.tags().containsKey(Protection.TAG_SLOT)
                && !dev.berth.core.claim.SnapshotRetention.KIND_PERIODIC.equals(
                        s.tags().get(dev.berth.core.claim.SnapshotRetention.TAG_KIND));
    }

    /**
     * @param aboveCapacity   the slots above capacity the operator named (--slots-above-capacity)
     * @param created         creation times (epoch milliseconds) of the candidates, where the cloud knows them
     * @param olderThanMillis only delete what is at least this old; 0 for no bound
     */
    public static GcPlan plan(FleetView view, Set<Integer> aboveCapacity, Map<String, Long> created, long olderThanMillis) {
        var delete = new ArrayList<GcPlan.Item>();
        var keep = new ArrayList<GcPlan.Item>();
        var p = view.protection();
        var slotVolumes = new HashSet<String>();
        for (var entry : view.table().slots()) {
            int n = entry.slot();
            if (n < view.capacity() || !aboveCapacity.contains(n)) {
                continue;
            }
            var status = view.holders().getOrDefault(n, HolderStatus.NONE);
            var r = entry.record();
            if (r.volume() == null && r.volumeIntent() == null && r.identity() == null && r.holder() == null) {
                continue;   // already empty
            }
            if (!status.free()) {
                keep.add(new GcPlan.Item(GcPlan.Kind.SLOT, "slot " + n, n, "held by " + r.holder().instanceId()
                        + " (" + status.name().toLowerCase() + ")"));
                continue;
            }
            if (r.volumeIntent() != null) {
                keep.add(new GcPlan.Item(GcPlan.Kind.SLOT, "slot " + n, n, "a volume is being created for it"));
                continue;
            }
            if (r.holder() != null && view.readAtMillis() - r.holder().sinceMillis() < olderThanMillis) {
                keep.add(new GcPlan.Item(GcPlan.Kind.SLOT, "slot " + n, n, "its holder claimed it less than --older-than ago"));
                continue;
            }
            var volume = r.volume() == null ? null : view.volumes().stream()
                    .filter(v -> v.volumeId().equals(r.volume().volumeId())).findFirst().orElse(null);
            if (volume != null && attached(volume)) {
                keep.add(new GcPlan.Item(GcPlan.Kind.SLOT, "slot " + n, n, "its volume " + volume.volumeId()
                        + " is attached to " + volume.attachments().getFirst().instanceId()));
                continue;
            }
            delete.add(new GcPlan.Item(GcPlan.Kind.SLOT, "slot " + n, n, "above the capacity of " + view.capacity()
                    + ", unheld, named by --slots-above-capacity: emptied (its volume, identity and backup go)"));
            if (r.volume() != null) {
                slotVolumes.add(r.volume().volumeId());
                delete.add(new GcPlan.Item(GcPlan.Kind.VOLUME, r.volume().volumeId(), n, "the volume of slot " + n
                        + ", which is above capacity"));
            }
        }
        for (var v : view.volumes()) {
            if (slotVolumes.contains(v.volumeId())) {
                continue;
            }
            if (p.protects(v)) {
                if (!p.names(v.volumeId())) {
                    keep.add(new GcPlan.Item(GcPlan.Kind.VOLUME, v.volumeId(), slotOf(v), "an in-flight volume intent of"
                            + " its slot may still produce it"));
                }
                continue;
            }
            int from = p.retiredFrom(v.volumeId());
            var why = from >= 0 ? "retired from slot " + from + " by a cross-zone move" : "no slot names it (orphan)";
            if (attached(v)) {
                keep.add(new GcPlan.Item(GcPlan.Kind.VOLUME, v.volumeId(), from, why + ", but attached to "
                        + v.attachments().getFirst().instanceId() + ": detach it first"));
            } else if (tooNew(v.volumeId(), view, created, olderThanMillis)) {
                keep.add(new GcPlan.Item(GcPlan.Kind.VOLUME, v.volumeId(), from, why + ", but younger than --older-than"));
            } else {
                delete.add(new GcPlan.Item(GcPlan.Kind.VOLUME, v.volumeId(), from, why));
            }
        }
        for (var s : view.snapshots()) {
            if (p.names(s.snapshotId())) {
                continue;
            }
            if (!isMoveSnapshot(s)) {
                keep.add(new GcPlan.Item(GcPlan.Kind.SNAPSHOT, s.snapshotId(), slotOf(s.tags()),
                        "not a move snapshot: left to berth snapshot's retention"));
            } else if (s.state() == dev.berth.spi.SnapshotState.PENDING) {
                keep.add(new GcPlan.Item(GcPlan.Kind.SNAPSHOT, s.snapshotId(), slotOf(s.tags()), "still pending"));
            } else if (tooNew(s.snapshotId(), view, created, olderThanMillis)) {
                keep.add(new GcPlan.Item(GcPlan.Kind.SNAPSHOT, s.snapshotId(), slotOf(s.tags()),
                        "a finished move's snapshot, but younger than --older-than"));
            } else {
                delete.add(new GcPlan.Item(GcPlan.Kind.SNAPSHOT, s.snapshotId(), slotOf(s.tags()),
                        "made for a cross-zone move of slot " + s.tags().get(Protection.TAG_SLOT) + " that is over"));
            }
        }
        return new GcPlan(delete, keep);
    }

    /** Ids gc needs creation times for: every volume and snapshot not protected. */
    public static Set<String> candidates(FleetView view) {
        var ids = new HashSet<String>();
        view.volumes().stream().filter(v -> !view.protection().protects(v)).forEach(v -> ids.add(v.volumeId()));
        view.snapshots().stream().filter(s -> !view.protection().names(s.snapshotId())).forEach(s -> ids.add(s.snapshotId()));
        return ids;
    }

    private static boolean tooNew(String id, FleetView view, Map<String, Long> created, long olderThanMillis) {
        if (olderThanMillis <= 0) {
            return false;
        }
        var at = created.get(id);
        return at == null || view.readAtMillis() - at < olderThanMillis;   // unknown age: keep
    }

    static boolean attached(Volume v) {
        return v.attachments().stream().anyMatch(a -> a.state() != dev.berth.spi.AttachmentState.DETACHED);
    }

    private static int slotOf(Volume v) {
        return slotOf(v.tags());
    }

    private static int slotOf(Map<String, String> tags) {
        try {
            return Integer.parseInt(tags.getOrDefault(Protection.TAG_SLOT, "-1").trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
