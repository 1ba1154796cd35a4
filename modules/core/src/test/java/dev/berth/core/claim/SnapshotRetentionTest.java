package dev.berth.core.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.slot.SlotRecord;
import dev.berth.spi.Snapshot;
import dev.berth.spi.SnapshotState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotRetentionTest {

    private static Snapshot periodic(String id, String taken, SnapshotState state) {
        var tags = new HashMap<>(SnapshotRetention.slotTags("c", 2));
        tags.put(SnapshotRetention.TAG_TAKEN, taken);
        return new Snapshot(id, "vol-1", state, 100, 10, tags);
    }

    private static List<String> ids(List<Snapshot> snapshots) {
        return snapshots.stream().map(Snapshot::snapshotId).sorted().toList();
    }

    @Test
    void keepsTheNewestCompletedAndEveryPendingOneAndExpiresTheRest() {
        var record = SlotRecord.fresh("c", 2);
        var all = List.of(periodic("snap-1", "2026-01-01T01:00:00Z", SnapshotState.COMPLETED),
                periodic("snap-2", "2026-01-01T02:00:00Z", SnapshotState.COMPLETED),
                periodic("snap-3", "2026-01-01T03:00:00Z", SnapshotState.COMPLETED),
                periodic("snap-4", "2026-01-01T04:00:00Z", SnapshotState.PENDING),
                periodic("snap-5", "2026-01-01T00:30:00Z", SnapshotState.ERROR));
        assertEquals(List.of("snap-1", "snap-5"), ids(new SnapshotRetention(2).expired(record, all)));
    }

    @Test
    void neverExpiresTheSnapshotTheSlotNamesOrAnotherSlotsOrOneBerthDidNotTakePeriodically() {
        var named = SlotRecord.fresh("c", 2).withLatestSnapshot(new SlotRecord.SnapshotRef("snap-1", "vol-1", "a", 1, 0))
                .withVolumeIntent(new SlotRecord.VolumeIntent("b", "tok", "snap-2", "vol-1"));
        var otherSlot = new Snapshot("snap-9", "vol-9", SnapshotState.COMPLETED, 100, 10,
                Map.of(SnapshotRetention.TAG_CLUSTER, "c", SnapshotRetention.TAG_SLOT, "3", SnapshotRetention.TAG_KIND,
                        "periodic", SnapshotRetention.TAG_TAKEN, "2020-01-01T00:00:00Z"));
        var moveSnapshot = new Snapshot("snap-8", "vol-1", SnapshotState.COMPLETED, 100, 10,
                Map.of(SnapshotRetention.TAG_CLUSTER, "c", SnapshotRetention.TAG_SLOT, "2", SnapshotRetention.TAG_EPOCH, "4"));
        var all = List.of(periodic("snap-1", "2026-01-01T01:00:00Z", SnapshotState.COMPLETED),
                periodic("snap-2", "2026-01-01T02:00:00Z", SnapshotState.COMPLETED),
                periodic("snap-3", "2026-01-01T03:00:00Z", SnapshotState.COMPLETED), otherSlot, moveSnapshot);
        var retention = new SnapshotRetention(1);
        assertEquals(List.of(), ids(retention.expired(named, all)));
        assertTrue(retention.keeps(named, all.getFirst(), all));
    }
}
