package dev.berth.storecheck.history;

import java.util.List;

/** Why a history is not linearizable: on which key, what is wrong, and the smallest window of operations that shows it. */
public record Anomaly(String key, String problem, List<Operation> window) {

    static final int SHOWN = 40;

    public Anomaly {
        window = List.copyOf(window);
    }

    /** The problem and the window, one operation a line, times in ms from the window's first call. */
    public String describe() {
        var text = new StringBuilder("key '" + key + "': " + problem);
        long origin = window.stream().mapToLong(Operation::invoked).min().orElse(0);
        window.stream().limit(SHOWN).forEach(op -> text.append("\n    ").append(op.describe(origin)));
        if (window.size() > SHOWN) {
            text.append("\n    ... and ").append(window.size() - SHOWN).append(" more");
        }
        return text.toString();
    }
}
