package dev.berth.core.slot;

import java.util.Optional;

/**
 * A slot as its hint in the store describes it (see {@link SlotHint}): enough to rank it, never
 * enough to write it. {@code zone} is the volume's zone, or null.
 */
public record SlotSummary(int slot, String version, long epoch, SlotRecord.Holder holder, String zone)
        implements SlotListing {

    @Override
    public Optional<String> volumeZone() {
        return Optional.ofNullable(zone);
    }

    /** Whether a full record says what this summary says (a hint that does not is not trusted). */
    public boolean describes(SlotEntry entry) {
        return entry.summary().equals(this);
    }
}
