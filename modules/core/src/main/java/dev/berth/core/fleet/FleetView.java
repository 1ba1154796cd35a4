package dev.berth.core.fleet;

import dev.berth.core.claim.HolderStatus;
import dev.berth.core.slot.SlotTable;
import dev.berth.spi.Snapshot;
import dev.berth.spi.Volume;
import java.util.List;
import java.util.Map;

/**
 * The fleet at one moment, read by {@link FleetReader}: the slot table, what the cloud says of each
 * holder, the volumes and snapshots tagged for the cluster, the rows and findings of {@code berth status}.
 * The volumes and snapshots were listed before the slots were read, so that everything a claim had
 * made by then is named by a slot record or an intent in {@code table} (see {@link Protection}).
 */
public record FleetView(
        String cluster,
        int capacity,
        long readAtMillis,
        SlotTable table,
        Map<Integer, HolderStatus> holders,
        List<Volume> volumes,
        List<Snapshot> snapshots,
        boolean snapshotsListed,
        Protection protection,
        List<SlotRow> rows,
        List<Finding> findings) {

    public FleetView {
        holders = Map.copyOf(holders);
        volumes = List.copyOf(volumes);
        snapshots = List.copyOf(snapshots);
        rows = List.copyOf(rows);
        findings = List.copyOf(findings);
    }
}
