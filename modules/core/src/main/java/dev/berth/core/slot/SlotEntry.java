package dev.berth.core.slot;

import java.util.Optional;

/** A slot record as read from the store, with the store version a compare-and-set must name. */
public record SlotEntry(int slot, SlotRecord record, String version) implements SlotListing {

    @Override
    public long epoch() {
        return record.epoch();
    }

    @Override
    public SlotRecord.Holder holder() {
        return record.holder();
    }

    @Override
    public Optional<String> volumeZone() {
        if (record.volume() != null) {
            return Optional.of(record.volume().zone());
        }
        return record.volumeIntent() == null ? Optional.empty() : Optional.of(record.volumeIntent().zone());
    }

    /** This record's summary: what {@link SlotHint} keeps beside it in the store. */
    public SlotSummary summary() {
        return new SlotSummary(slot, version, epoch(), holder(), volumeZone().orElse(null));
    }
}
