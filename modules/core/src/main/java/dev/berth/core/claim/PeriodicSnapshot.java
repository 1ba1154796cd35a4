package dev.berth.core.claim;

import dev.berth.core.slot.SlotEntry;
import dev.berth.core.slot.SlotKeys;
import dev.berth.core.slot.SlotRecord;
import dev.berth.core.slot.SlotRepository;
import dev.berth.spi.CloudException;
import dev.berth.spi.Snapshot;
import dev.berth.spi.SnapshotState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * {@code berth snapshot}: one periodic snapshot of the volume of the slot this instance holds.
 * It starts a snapshot tagged with the cluster, the slot, the holder's epoch and the time; waits
 * (bounded by {@code waits.snapshotSeconds}) for it to complete; records it in the slot as its
 * latest by compare-and-set (only while this instance still holds the slot at that epoch, and only
 * when it is newer than the one recorded); then deletes the slot's periodic snapshots that
 * {@link SnapshotRetention} no longer keeps. Each step is idempotent: a re-run in the same minute
 * finds the same snapshot by its tags. The snapshot is crash-consistent (what the disk held when
 * it started), like a power cut.
 */
public final class PeriodicSnapshot {
    private final ClaimSettings settings;
    private final ClaimContext context;
    private final SlotRepository slots;
    private final Calls calls;

    public PeriodicSnapshot(ClaimSettings settings, ClaimContext context) {
        this.settings = settings;
        this.context = context;
        this.calls = new Calls(context.ticker(), settings.waits(), context.log());
        this.slots = new SlotRepository(context.store(), new SlotKeys(settings.cluster()), context.caches().codec(), calls::run);
    }

    public SnapshotOutcome run() {
        var me = calls.run("read this instance's identity", () -> context.cloud().self());
        var held = slots.readAll().heldBy(me.instanceId());
        if (held.isEmpty()) {
            return new SnapshotOutcome.NothingToSnapshot("instance " + me.instanceId() + " holds no slot of cluster "
                    + settings.cluster());
        }
        var entry = held.get();
        var record = entry.record();
        if (record.volume() == null || record.volumeIntent() != null || !record.volume().zone().equals(me.zone())) {
            return new SnapshotOutcome.NothingToSnapshot("slot " + entry.slot() + " has no volume in " + me.zone()
                    + " yet (its claim is still under way)");
        }
        var volumeId = record.volume().volumeId();
        long now = context.ticker().nowMillis();
        var taken = SnapshotRetention.takenTag(now);
        var tags = new LinkedHashMap<>(SnapshotRetention.slotTags(settings.cluster(), entry.slot()));
        tags.put(SnapshotRetention.TAG_EPOCH, Long.toString(record.epoch()));
        tags.put(SnapshotRetention.TAG_TAKEN, taken);
        var started = calls.run("snapshot volume " + volumeId + " of slot " + entry.slot(),
                () -> context.cloud().createSnapshot(volumeId, tags));
        log("snapshot " + started.snapshotId() + " of volume " + volumeId + " (slot " + entry.slot() + ") started");
        var done = awaitCompleted(entry.slot(), volumeId, started.snapshotId());
        var ref = new SlotRecord.SnapshotRef(done.snapshotId(), volumeId, me.zone(), record.epoch(),
                SnapshotRetention.takenAt(done).map(java.time.Instant::toEpochMilli)
                        .orElse(java.time.Instant.parse(taken).toEpochMilli()));
        var recorded = record(me.instanceId(), entry, ref);
        var deleted = expire(recorded);
        return new SnapshotOutcome.Taken(entry.slot(), ref, recorded.record().latestSnapshot() != null
                && recorded.record().latestSnapshot().snapshotId().equals(ref.snapshotId()), deleted);
    }

    private Snapshot awaitCompleted(int slot, String volumeId, String snapshotId) {
        return BoundedWait.forThe("snapshot " + snapshotId + " of volume " + volumeId + " (slot " + slot + ") to complete",
                        context.ticker(), context.log())
                .bound(BoundedWait.Bound.of("waits.snapshotSeconds", settings.waits().snapshotMillis()))
                .backoff(settings.waits().pollMillis(), 60_000)
                .hint("the snapshot goes on in the background; the next run records it if it completes, or raise"
                        + " waits.snapshotSeconds")
                .until(() -> {
                    var seen = calls.run("describe snapshot " + snapshotId, () -> context.cloud().describeSnapshot(snapshotId));
                    if (seen.isPresent() && seen.get().state() == SnapshotState.COMPLETED) {
                        return BoundedWait.Poll.done(seen.get());
                    }
                    if (seen.isPresent() && seen.get().state() == SnapshotState.ERROR) {
                        throw new ClaimException(ClaimException.Kind.REFUSED, "snapshot " + snapshotId + " of volume "
                                + volumeId + " (slot " + slot + ") failed; the slot keeps its earlier latest snapshot."
                                + " Check the volume in the console; the next run tries again");
                    }
                    return BoundedWait.Poll.pending(seen.map(s -> s.state().name().toLowerCase() + " " + s.progressPercent()
                            + "%").orElse("not visible yet"));
                });
    }

    /** Records the snapshot as the slot's latest while this instance holds the slot at the same epoch. */
    private SlotEntry record(String instanceId, SlotEntry entry, SlotRecord.SnapshotRef ref) {
        var current = entry;
        for (int attempt = 0; attempt < 5; attempt++) {
            var r = current.record();
            if (!r.heldBy(instanceId) || r.epoch() != ref.epoch() || r.volume() == null
                    || !r.volume().volumeId().equals(ref.volumeId())) {
                log("snapshot " + ref.snapshotId() + " not recorded: slot " + r.slot() + " is now "
                        + (r.holder() == null ? "free" : "held by " + r.holder().instanceId() + " at epoch " + r.epoch())
                        + " with volume " + (r.volume() == null ? "none" : r.volume().volumeId()));
                return current;
            }
            if (r.latestSnapshot() != null && r.latestSnapshot().takenAtMillis() >= ref.takenAtMillis()) {
                return current;   // a newer (or this very) snapshot is recorded already
            }
            var written = slots.replace(current, r.withLatestSnapshot(ref));
            if (written.isPresent()) {
                log("slot " + r.slot() + " latest snapshot is now " + ref.snapshotId());
                return written.get();
            }
            var now = slots.read(entry.slot());
            if (now.isEmpty()) {
                return current;
            }
            current = now.get();
        }
        throw new ClaimException(ClaimException.Kind.TIMEOUT, "slot " + entry.slot() + " kept changing while recording"
                + " snapshot " + ref.snapshotId() + ": another process writes the record; the next run records it");
    }

    /** Deletes the slot's periodic snapshots the retention rule no longer keeps; failures are logged, not fatal. */
    private List<String> expire(SlotEntry seen) {
        var entry = slots.read(seen.slot()).orElse(seen);   // the record as it is now: a mover may have named a snapshot
        var known = calls.run("list the periodic snapshots of slot " + entry.slot(),
                () -> context.cloud().findSnapshots(SnapshotRetention.slotTags(settings.cluster(), entry.slot())));
        var deleted = new ArrayList<String>();
        for (var s : new SnapshotRetention(settings.snapshots().keep()).expired(entry.record(), known)) {
            try {
                calls.run("delete expired snapshot " + s.snapshotId(), () -> context.cloud().deleteSnapshot(s.snapshotId()));
                deleted.add(s.snapshotId());
            } catch (CloudException e) {
                log("could not delete expired snapshot " + s.snapshotId() + " of slot " + entry.slot() + ": "
                        + e.getMessage() + "; the next run tries again");
            }
        }
        if (!deleted.isEmpty()) {
            log("deleted " + deleted.size() + " expired snapshot(s) of slot " + entry.slot() + " (keeping the newest "
                    + settings.snapshots().keep() + "): " + String.join(", ", deleted));
        }
        return deleted;
    }

    private void log(String message) {
        context.log().info(message);
    }
}
