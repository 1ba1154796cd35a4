package dev.berth.core.claim;

import dev.berth.core.slot.SlotEntry;
import dev.berth.core.slot.SlotIndex;

/**
 * Steps 2 to 4 of the protocol: choose a free slot and make this instance its holder.
 * The product has one implementation, {@link CasSlotSelection}; the interface exists so
 * that tests can run a deliberately broken selection and watch the simulator catch it.
 */
public interface SlotSelection {

    /**
     * {@code index} is the cluster's slots as just listed; list them again (through {@link ClaimRun#slots()})
     * after every lost race. Every call goes through the run's {@link ClaimRun#calls()}.
     */
    Selection select(ClaimRun run, SlotIndex index);

    /** Either a held slot (with whether it was already ours), or the full outcome. */
    sealed interface Selection {
        record Held(SlotEntry entry) implements Selection {
        }

        record NoSlot(ClaimOutcome.Full full) implements Selection {
        }
    }
}
