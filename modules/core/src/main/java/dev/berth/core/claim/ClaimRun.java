package dev.berth.core.claim;

import dev.berth.core.slot.SlotEntry;
import dev.berth.core.slot.SlotRecord;
import dev.berth.core.slot.SlotRepository;
import dev.berth.spi.InstanceIdentity;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One claim, as every step sees it: the settings, the providers, this instance, and the run's one
 * retry layer and one slot repository. Immutable: what a step learns travels to the next step in
 * that step's outcome, never in a field.
 *
 * @param me this instance, as step 1 read it
 */
public record ClaimRun(ClaimSettings settings, ClaimContext context, Calls calls, SlotRepository slots, InstanceIdentity me) {

    public ClaimRun {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(calls, "calls");
        Objects.requireNonNull(slots, "slots");
        Objects.requireNonNull(me, "me");
    }

    /**
     * Writes a change to a slot this instance holds. If the record changed meanwhile and a
     * newer epoch or another holder is there, this instance has been fenced off and stops.
     */
    public SlotEntry updateHeld(SlotEntry held, UnaryOperator<SlotRecord> change) {
        for (int attempt = 0; attempt < 5; attempt++) {
            var written = slots.replace(held, change.apply(held.record()));
            if (written.isPresent()) {
                return written.get();
            }
            var now = slots.read(held.slot());
            if (now.isEmpty() || !now.get().record().heldBy(me.instanceId())
                    || now.get().record().epoch() != held.record().epoch()) {
                throw fenced(held, now);
            }
            held = now.get();
        }
        throw new ClaimException(ClaimException.Kind.TIMEOUT, "slot " + held.slot() + " kept changing under this"
                + " instance while it held it: another process writes the record; check for a second berth on this instance");
    }

    /** This run as one step sees it: its lines carry the step's name (a JSON log's {@code step} field). */
    public ClaimRun inStep(String step) {
        return new ClaimRun(settings, context.withLog(context.log().inStep(step)), calls, slots, me);
    }

    void log(String message) {
        context.log().info(message);
    }

    private static ClaimException fenced(SlotEntry held, Optional<SlotEntry> now) {
        var by = now.map(e -> e.record().holder() == null ? "nobody (released)"
                : e.record().holder().instanceId() + " at epoch " + e.record().epoch()).orElse("nobody (deleted)");
        return new ClaimException(ClaimException.Kind.FENCED, "slot " + held.slot() + " is now held by " + by
                + ", not by this instance at epoch " + held.record().epoch() + ": this instance is fenced off and"
                + " must not use the slot's volume or identity. Stop the workload here");
    }
}
