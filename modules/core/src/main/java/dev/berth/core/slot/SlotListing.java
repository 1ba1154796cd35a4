package dev.berth.core.slot;

import java.util.Optional;

/**
 * A slot as a listing of the table shows it: what choosing a slot needs (who holds it, where its
 * volume lives, its epoch and version), either from the full record ({@link SlotEntry}) or from the
 * hint its writer kept beside it ({@link SlotSummary}). A summary is never written back: a claim
 * reads the full record at the listed version before its compare-and-set.
 */
public sealed interface SlotListing permits SlotEntry, SlotSummary {

    int slot();

    /** The store version the listing saw. */
    String version();

    long epoch();

    /** The holder, or null when the slot is free. */
    SlotRecord.Holder holder();

    /** The zone of the slot's volume, or of the volume being created for it; empty when it has none. */
    Optional<String> volumeZone();

    default boolean heldBy(String instanceId) {
        return holder() != null && holder().instanceId().equals(instanceId);
    }
}
