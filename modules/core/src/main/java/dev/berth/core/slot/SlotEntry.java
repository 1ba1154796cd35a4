package dev.berth.core.slot;

/** A slot record as read from the store, with the store version a compare-and-set must name. */
public record SlotEntry(int slot, SlotRecord record, String version) {
}
