package dev.berth.core.slot;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster's slots as one listing shows them, for choosing a slot: each a {@link SlotListing}
 * (a full record where the store gave it, else its summary). Slots whose records or hints cannot
 * be trusted are kept apart in {@code corrupt}, as in {@link SlotTable}.
 */
public record SlotIndex(List<SlotListing> slots, List<CorruptSlotRecordException> corrupt, Set<Integer> corruptSlots) {

    public SlotIndex {
        slots = List.copyOf(slots);
        corrupt = List.copyOf(corrupt);
        corruptSlots = Set.copyOf(corruptSlots);
    }

    public Optional<SlotListing> slot(int n) {
        for (var s : slots) {
            if (s.slot() == n) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public Optional<SlotListing> heldBy(String instanceId) {
        for (var s : slots) {
            if (s.heldBy(instanceId)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Every slot number in use, trusted or not. */
    public Set<Integer> numbers() {
        var all = new HashSet<Integer>(corruptSlots);
        for (var s : slots) {
            all.add(s.slot());
        }
        return all;
    }

    /** The same index with {@code entry} (a record read at its slot) in place of what the listing had. */
    public SlotIndex with(SlotEntry entry) {
        var replaced = slots.stream().map(s -> s.slot() == entry.slot() ? (SlotListing) entry : s).toList();
        return new SlotIndex(replaced, corrupt, corruptSlots);
    }
}
