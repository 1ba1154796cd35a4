package dev.berth.core.claim;

import dev.berth.core.slot.SlotRecord;
import dev.berth.spi.Snapshot;
import dev.berth.spi.SnapshotState;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one rule for which periodic snapshots of a slot berth keeps, shared by {@code berth snapshot}
 * (which deletes what it no longer keeps) and {@code berth gc} (which must never delete what it keeps).
 *
 * <p>A snapshot is berth's periodic snapshot of a slot when it carries {@code berth:cluster},
 * {@code berth:slot} and {@code berth:kind = periodic}. Of those, berth keeps:
 * <ul>
 *   <li>the one the slot record names as its latest ({@link SlotRecord#latestSnapshot()});</li>
 *   <li>the one a volume intent is being built from ({@link SlotRecord.VolumeIntent#sourceSnapshotId()});</li>
 *   <li>every snapshot still pending (being taken), and any whose {@code berth:taken} time it cannot read;</li>
 *   <li>the newest {@code keep} completed ones, by {@code berth:taken} (a named one among them counts).</li>
 * </ul>
 * Everything else of that slot (older completed ones, failed ones) has expired. A snapshot that is
 * not berth's periodic snapshot of this slot (a move's snapshot, a seed snapshot, anyone else's) is
 * never expired by this rule.
 */
public final class SnapshotRetention {
    public static final String TAG_CLUSTER = "berth:cluster";
    public static final String TAG_SLOT = "berth:slot";
    public static final String TAG_EPOCH = "berth:epoch";
    /** {@value #KIND_PERIODIC} on a snapshot {@code berth snapshot} took. */
    public static final String TAG_KIND = "berth:kind";
    public static final String KIND_PERIODIC = "periodic";
    /** When {@code berth snapshot} started it: an ISO-8601 instant, to the minute (never later than the snapshot). */
    public static final String TAG_TAKEN = "berth:taken";

    private final int keep;

    public SnapshotRetention(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, was " + keep);
        }
        this.keep = keep;
    }

    /** The tags that find every periodic snapshot of one slot ({@code CloudProvider.findSnapshots}). */
    public static Map<String, String> slotTags(String cluster, int slot) {
        var tags = new LinkedHashMap<String, String>();
        tags.put(TAG_CLUSTER, cluster);
        tags.put(TAG_SLOT, Integer.toString(slot));
        tags.put(TAG_KIND, KIND_PERIODIC);
        return tags;
    }

    /** The value of {@link #TAG_TAKEN} for a snapshot started at {@code millis}: the minute, rounded down. */
    public static String takenTag(long millis) {
        return Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.MINUTES).toString();
    }

    /** When a periodic snapshot was started, from its {@link #TAG_TAKEN} tag; empty when it has none berth can read. */
    public static Optional<Instant> takenAt(Snapshot snapshot) {
        var tag = snapshot.tags().get(TAG_TAKEN);
        if (tag == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(tag));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Whether this is berth's periodic snapshot of the record's slot. */
    public static boolean periodicOf(SlotRecord record, Snapshot snapshot) {
        var tags = snapshot.tags();
        return record.cluster().equals(tags.get(TAG_CLUSTER)) && Integer.toString(record.slot()).equals(tags.get(TAG_SLOT))
                && KIND_PERIODIC.equals(tags.get(TAG_KIND));
    }

    /** Whether the rule keeps {@code snapshot}, given all the snapshots of the slot that are known now. */
    public boolean keeps(SlotRecord record, Snapshot snapshot, Collection<Snapshot> snapshotsOfSlot) {
        return expired(record, snapshotsOfSlot).stream().noneMatch(s -> s.snapshotId().equals(snapshot.snapshotId()));
    }

    /** The snapshots of the slot, among {@code snapshotsOfSlot}, that the rule no longer keeps: safe to delete. */
    public List<Snapshot> expired(SlotRecord record, Collection<Snapshot> snapshotsOfSlot) {
        Set<String> named = new HashSet<>();
        if (record.latestSnapshot() != null) {
            named.add(record.latestSnapshot().snapshotId());
        }
        if (record.volumeIntent() != null && record.volumeIntent().sourceSnapshotId() != null) {
            named.add(record.volumeIntent().sourceSnapshotId());
        }
        var completed = new ArrayList<Snapshot>();
        var expired = new ArrayList<Snapshot>();
        for (var s : snapshotsOfSlot) {
            if (!periodicOf(record, s) || s.state() == SnapshotState.PENDING) {
                continue;
            }
            if (s.state() == SnapshotState.ERROR && !named.contains(s.snapshotId())) {
                expired.add(s);
            } else if (s.state() == SnapshotState.COMPLETED && takenAt(s).isPresent()) {
                completed.add(s);
            }
        }
        completed.sort(Comparator.comparing((Snapshot s) -> takenAt(s).orElseThrow()).reversed()
                .thenComparing(Snapshot::snapshotId, Comparator.reverseOrder()));
        for (int i = keep; i < completed.size(); i++) {   // the newest keep are kept; of the rest, the named ones
            if (!named.contains(completed.get(i).snapshotId())) {
                expired.add(completed.get(i));
            }
        }
        return expired;
    }
}
