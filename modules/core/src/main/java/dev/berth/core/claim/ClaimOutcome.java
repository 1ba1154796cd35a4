package dev.berth.core.claim;

/** How a claim ended. Errors that stop everything are {@link ClaimException}s instead. */
public sealed interface ClaimOutcome {

    /** A slot was claimed (a new epoch) and is ready: volume mounted, identity in place, env file written. */
    record Claimed(SlotLease lease) implements ClaimOutcome {
    }

    /** This instance already held a slot (a re-run); it was brought to ready again. */
    record Resumed(SlotLease lease) implements ClaimOutcome {
    }

    /** Every slot is held by a live instance; {@code policy} says what was done about it. */
    record Full(int slots, int capacity, FullPolicy policy, String detail) implements ClaimOutcome {
    }

    /**
     * Nothing claimed, on purpose: the instance is warming in a warm pool ({@code Warmed:*}) and will
     * claim when it is launched into service (berth claim runs again then).
     */
    record Deferred(String lifecycleState, String detail) implements ClaimOutcome {
    }
}
