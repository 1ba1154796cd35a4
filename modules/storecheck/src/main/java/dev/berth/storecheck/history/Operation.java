package dev.berth.storecheck.history;

import java.util.Objects;

/**
 * One call on one key, as a client saw it: what it asked, when it asked ({@code invoked}), when
 * the answer came ({@code completed}, {@link Long#MAX_VALUE} while none has) and the answer.
 * Times are {@link System#nanoTime()} readings, comparable across the processes of one machine.
 * {@code value} is what a put or compare-and-set writes (unique per write, so a read names the
 * write it saw); {@code expected} is the version a compare-and-set or delete expects; both are
 * empty strings where they do not apply.
 */
public record Operation(long id, int client, String key, Kind kind, String value, String expected,
                        long invoked, long completed, Outcome outcome) {

    public enum Kind { GET, PUT_IF_ABSENT, COMPARE_AND_SET, DELETE_IF_VERSION }

    /** Never answered. */
    public static final long OPEN = Long.MAX_VALUE;

    public Operation {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(outcome, "outcome");
        if (outcome instanceof Outcome.Lost != (completed == OPEN)) {
            throw new IllegalArgumentException("operation " + id + ": an operation is open exactly when its answer was lost");
        }
        if (completed < invoked) {
            throw new IllegalArgumentException("operation " + id + " completed before it was invoked");
        }
    }

    /** The operation as invoked, before any answer. */
    public static Operation start(long id, int client, String key, Kind kind, String value, String expected, long at) {
        return new Operation(id, client, key, kind, value, expected, at, OPEN, new Outcome.Lost());
    }

    /** This operation with its answer. */
    public Operation completed(long at, Outcome answer) {
        return new Operation(id, client, key, kind, value, expected, invoked, answer instanceof Outcome.Lost ? OPEN : at, answer);
    }

    public boolean lost() {
        return outcome instanceof Outcome.Lost;
    }

    public boolean write() {
        return kind != Kind.GET;
    }

    /** One line for reports, times relative to {@code origin} in milliseconds. */
    public String describe(long origin) {
        var call = switch (kind) {
            case GET -> "get(" + key + ")";
            case PUT_IF_ABSENT -> "putIfAbsent(" + key + ", " + value + ")";
            case COMPARE_AND_SET -> "compareAndSet(" + key + ", expected " + expected + ", " + value + ")";
            case DELETE_IF_VERSION -> "deleteIfVersion(" + key + ", expected " + expected + ")";
        };
        var answer = switch (outcome) {
            case Outcome.Found f -> "found " + f.value() + " at version " + f.version();
            case Outcome.Absent a -> "absent";
            case Outcome.Wrote w -> "wrote version " + w.version();
            case Outcome.Refused r -> "conflict" + r.current().map(c -> " (saw " + c.value() + " at version " + c.version() + ")")
                    .orElse("");
            case Outcome.Removed r -> "deleted";
            case Outcome.Lost l -> "answer lost";
        };
        String end = completed == OPEN ? "…" : millis(completed - origin);
        return "client " + client + " op " + id + " [" + millis(invoked - origin) + " .. " + end + " ms] " + call + " -> " + answer;
    }

    private static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6);
    }
}
