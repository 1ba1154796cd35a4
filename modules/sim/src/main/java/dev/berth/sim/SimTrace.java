package dev.berth.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What a run did and what it broke: the steps of the trace (instance, call or event, outcome, on
 * the virtual clock) and the violations of the invariants, each also a step of the trace.
 */
final class SimTrace {
    /** Every step, in order; empty while {@link #enabled} is off (a benchmark keeps only the violations). */
    final List<TraceStep> steps = new ArrayList<>();
    final List<Violation> violations = new ArrayList<>();
    boolean enabled = true;
    private final LongSupplier clock;
    private long seq;

    SimTrace(LongSupplier clock) {
        this.clock = clock;
    }

    void event(String instance, String what, String result, int slot) {
        if (enabled) {
            steps.add(new TraceStep(seq++, clock.getAsLong(), instance, what, result, slot));
        }
    }

    void violation(String invariant, int slot, List<String> who, String detail) {
        violations.add(new Violation(invariant, clock.getAsLong(), slot, who, detail));
        event(String.join(",", who), "VIOLATION " + invariant, detail, slot);
    }

    /** The start of an error message, for a trace line. */
    static String firstWords(String message) {
        if (message == null) {
            return "";
        }
        return message.length() > 100 ? message.substring(0, 100) + "..." : message;
    }
}
