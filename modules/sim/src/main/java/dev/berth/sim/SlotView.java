package dev.berth.sim;

import dev.berth.core.slot.CorruptSlotRecordException;
import dev.berth.core.slot.SlotCodec;
import dev.berth.core.slot.SlotKeys;
import dev.berth.core.slot.SlotRecord;
import dev.berth.spi.ClaimStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The slot records as the store holds them at this instant, decoded: what the invariant checks,
 * the director and the report read, directly and never through a node's SPI (so they cost no
 * simulated time). A record that cannot be decoded is left out: the readability invariant
 * reports it when it is written.
 */
final class SlotView {

    /** One readable slot record. */
    record Slot(int slot, SlotRecord record) {
    }

    private final ClaimStore store;
    private final SlotKeys keys;
    private final SlotCodec codec;

    SlotView(ClaimStore store, SlotKeys keys, SlotCodec codec) {
        this.store = store;
        this.keys = keys;
        this.codec = codec;
    }

    /** The record of one slot; empty when there is none or it cannot be read. */
    Optional<SlotRecord> record(int slot) {
        var item = store.get(keys.slot(slot));
        if (item.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(codec.decode(item.get().key(), slot, keys.cluster(), item.get().value()));
        } catch (CorruptSlotRecordException e) {
            return Optional.empty();
        }
    }

    /** Every readable slot record, in key order. */
    List<Slot> all() {
        var out = new ArrayList<Slot>();
        for (var item : store.list(keys.slotsPrefix())) {
            var slot = keys.slotOf(item.key());
            if (slot.isEmpty()) {
                continue;
            }
            try {
                out.add(new Slot(slot.getAsInt(), codec.decode(item.key(), slot.getAsInt(), keys.cluster(), item.value())));
            } catch (CorruptSlotRecordException e) {
                // reported when written
            }
        }
        return out;
    }

    /** How many keys the store holds under the slots' prefix, readable or not. */
    int keyCount() {
        return store.list(keys.slotsPrefix()).size();
    }

    /** Whether the slot's record lists the volume as retired (a move's old volume, one gc emptied the slot of). */
    boolean retired(int slot, String volumeId) {
        return record(slot).map(r -> r.retired(volumeId)).orElse(false);
    }
}
