package dev.berth.core.claim;

import dev.berth.core.slot.SlotRecord;
import java.util.List;

/** What one {@code berth snapshot} run did. */
public sealed interface SnapshotOutcome {

    /** This instance holds no slot with a volume here (yet): nothing to snapshot. */
    record NothingToSnapshot(String why) implements SnapshotOutcome {
    }

    /**
     * A snapshot of the slot's volume was taken and completed; {@code recorded} says whether it is now the
     * slot's latest (false when the slot was claimed away meanwhile); {@code deleted} are the expired ones removed.
     */
    record Taken(int slot, SlotRecord.SnapshotRef snapshot, boolean recorded, List<String> deleted) implements SnapshotOutcome {
        public Taken {
            deleted = List.copyOf(deleted);
        }
    }
}
