package dev.berth.core.claim;

import dev.berth.core.slot.SlotRecord;
import dev.berth.spi.InstanceState;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The liveness rule of DESIGN step 6b: whether a claim may take the slot's Elastic IP or network
 * interface from where it is now. An address is taken only by the slot's holder at its epoch (read
 * afresh from the store, not from memory), and only from nobody, from the instance the slot last
 * gave it to (which no longer holds the slot), or from an instance that no longer runs. A running
 * instance the slot never gave it to keeps it: berth never steals from a live holder.
 *
 * <p>A plain interface so that the simulator can run a deliberately broken rule and show that its
 * invariants catch it; berth itself always uses {@link #LIVENESS_RULE}.
 */
public interface AddressTakeover {

    enum Verdict {
        /** Take it (disassociate or detach where it is, then associate or attach here). */
        TAKE,
        /** This instance no longer holds the slot at its epoch: stop. */
        FENCED,
        /** A running instance that never got it from the slot has it: wait, then refuse. */
        NOT_OURS
    }

    /**
     * @param current     the instance the address is associated with (or the interface attached to) now, if any
     * @param lastGivenTo the instance the slot record says it was last given to, if any
     * @param slotNow     reads the slot afresh from the store (empty when it is gone)
     * @param me          this instance
     * @param epoch       the epoch this instance claimed the slot at
     * @param states      the machine state of an instance (absent when the cloud does not know it)
     */
    Verdict judge(Optional<String> current, Optional<String> lastGivenTo, Supplier<Optional<SlotRecord>> slotNow,
                  String me, long epoch, Function<String, Optional<InstanceState>> states);

    AddressTakeover LIVENESS_RULE = (current, lastGivenTo, slotNow, me, epoch, states) -> {
        var slot = slotNow.get();
        if (slot.isEmpty() || !slot.get().heldBy(me) || slot.get().epoch() != epoch) {
            return Verdict.FENCED;
        }
        if (current.isEmpty() || current.get().equals(me) || current.equals(lastGivenTo)) {
            return Verdict.TAKE;
        }
        var state = states.apply(current.get());
        boolean gone = state.isEmpty() || state.get() == InstanceState.TERMINATED || state.get() == InstanceState.SHUTTING_DOWN
                || state.get() == InstanceState.STOPPED;
        return gone ? Verdict.TAKE : Verdict.NOT_OURS;
    };
}
