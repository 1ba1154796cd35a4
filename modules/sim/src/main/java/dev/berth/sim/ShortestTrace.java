package dev.berth.sim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The steps that show a violation: only those of the instances and the slot involved, up to
 * the moment it broke, most recent last (at most 60).
 */
final class ShortestTrace {
    private static final int MAX_STEPS = 60;

    private ShortestTrace() {
    }

    static List<String> of(List<TraceStep> trace, List<Violation> violations) {
        if (violations.isEmpty()) {
            return List.of();
        }
        var first = violations.getFirst();
        var who = new HashSet<>(first.instances());
        var picked = new ArrayList<TraceStep>();
        for (var step : trace) {
            if (step.atMillis() > first.atMillis()) {
                break;
            }
            boolean mine = who.contains(step.instance()) || (first.slot() >= 0 && step.slot() == first.slot())
                    || step.instance().equals("-");
            if (mine) {
                picked.add(step);
            }
        }
        var tail = picked.subList(Math.max(0, picked.size() - MAX_STEPS), picked.size());
        var lines = new ArrayList<String>();
        lines.add("violation: " + first.invariant() + " (slot " + (first.slot() < 0 ? "-" : first.slot()) + ", instances "
                + String.join(", ", first.instances()) + "): " + first.detail());
        for (var step : tail) {
            lines.add(step.render());
        }
        return lines;
    }
}
