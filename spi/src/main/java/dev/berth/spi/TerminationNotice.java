package dev.berth.spi;

import java.util.Objects;
import java.util.Optional;

/**
 * This instance is being taken away, and how: Auto Scaling moved it towards Terminated (a
 * scale-in, an instance refresh, a failed health check), back into its warm pool ({@code Warmed:*}
 * target states, a scale-in with {@code ReuseOnScaleIn}), or a spot interruption is coming (two
 * minutes). {@code hookName} names the lifecycle hook that waits for the keeper, when there is one.
 */
public record TerminationNotice(String reason, Optional<String> hookName, Kind kind) {

    public enum Kind {
        /** Target lifecycle state Terminated: a termination hook may wait for the keeper. */
        TERMINATE,
        /** Target lifecycle state Warmed:*: the instance goes back to the warm pool (stopped or hibernated). */
        WARM_POOL,
        /** A spot interruption notice: about two minutes, and no lifecycle hook to hold the instance. */
        SPOT
    }

    public TerminationNotice {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(hookName, "hookName");
        Objects.requireNonNull(kind, "kind");
    }

    /** A termination towards Terminated. */
    public TerminationNotice(String reason, Optional<String> hookName) {
        this(reason, hookName, Kind.TERMINATE);
    }
}
