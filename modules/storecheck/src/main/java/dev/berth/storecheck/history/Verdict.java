package dev.berth.storecheck.history;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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

    /** The verdict's fields for a JSON report, in order: operations, unknown, keys, linearizable, anomaly (null or text), checkerMillis. */
    public Map<String, Object> fields() {
        var fields = new LinkedHashMap<String, Object>();
        fields.put("operations", operations);
        fields.put("unknown", unknown);
        fields.put("keys", keys);
        fields.put("linearizable", linearizable);
        fields.put("anomaly", anomaly.map(Anomaly::describe).orElse(null));
        fields.put("checkerMillis", elapsed.toMillis());
        return fields;
    }

    /** One JSON object of {@link #fields()}, encoded by avaje-jsonb. */
    public String json() {
        return json(fields());
    }

    /** A JSON object of these fields in their order, a null written as null (avaje-jsonb encodes). */
    public static String json(Map<String, Object> fields) {
        return JSON.toJson(fields);
    }

    private static final io.avaje.jsonb.JsonType<Object> JSON = io.avaje.jsonb.Jsonb.builder().serializeNulls(true).build()
            .type(Object.class);
}
