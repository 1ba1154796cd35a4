package dev.berth.core.slot;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * All slots of a cluster read in one list call. Slots whose records cannot be trusted are
 * kept apart in {@code corrupt} (key and reason): nobody claims, creates or overwrites them.
 */
public record SlotTable(List<SlotEntry> slots, List<CorruptSlotRecordException> corrupt, Set<Integer> corruptSlots) {

    public SlotTable {
        slots = List.copyOf(slots);
        corrupt = List.copyOf(corrupt);
        corruptSlots = Set.copyOf(corruptSlots);
    }

    public Optional<SlotEntry> slot(int n) {
        return slots.stream().filter(s -> s.slot() == n).findFirst();
    }

    public Optional<SlotEntry> heldBy(String instanceId) {
        return slots.stream().filter(s -> s.record().heldBy(instanceId)).findFirst();
    }

    /** The table as an index for choosing a slot (every listing a full record). */
    public SlotIndex index() {
        return new SlotIndex(List.copyOf(slots), corrupt, corruptSlots);
    }

    /** Every slot number in use, trusted or not. */
    public Set<Integer> numbers() {
        var all = slots.stream().map(SlotEntry::slot).collect(Collectors.toSet());
        all.addAll(corruptSlots);
        return all;
    }
}
