package dev.berth.storecheck.history;

import java.time.Duration;
import java.util.Optional;

/**
 * What the checker says about a history: how many operations it checked, how many of them had a
 * lost answer, whether a linearization exists, and if not the anomaly.
 */
public record Verdict(int operations, long unknown, int keys, boolean linearizable, Optional<Anomaly> anomaly,
                      Duration elapsed) {

    public Verdict {
        if (linearizable != anomaly.isEmpty()) {
            throw new IllegalArgumentException("a verdict is linearizable exactly when it has no anomaly");
        }
    }

    public String summary() {
        if (linearizable) {
            return "linearizable over " + operations + " operations (" + unknown + " with unknown outcome, " + keys
                    + " keys, checked in " + elapsed.toMillis() + " ms)";
        }
        return "NOT linearizable: " + operations + " operations (" + unknown + " with unknown outcome, " + keys
                + " keys, checked in " + elapsed.toMillis() + " ms); " + anomaly.orElseThrow().describe();
    }

    /** One JSON object: operations, unknown, keys, linearizable, anomaly (null or text), checkerMillis. */
    public String json() {
        return "{\"operations\":" + operations + ",\"unknown\":" + unknown + ",\"keys\":" + keys + ",\"linearizable\":"
                + linearizable + ",\"anomaly\":" + anomaly.map(a -> quote(a.describe())).orElse("null")
                + ",\"checkerMillis\":" + elapsed.toMillis() + "}";
    }

    /** {@code text} as a JSON string. */
    public static String quote(String text) {
        var out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
