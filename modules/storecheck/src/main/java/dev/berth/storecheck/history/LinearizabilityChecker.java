package dev.berth.storecheck.history;

import dev.berth.storecheck.history.RegisterSearch.Result;
import dev.berth.storecheck.history.RegisterSearch.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a recorded history against a versioned register per key (get, put-if-absent,
 * compare-and-set on a version, delete-if-version), key by key: a history is linearizable
 * exactly when each key's is (P-compositionality). Every key starts with no value.
 *
 * <p>Before the search, two things that need no search: a value (unique per write) seen at two
 * versions means one write took effect twice, or a version changed without a write; a version
 * seen with two values means a version was reused. When the search fails, the checker cuts the
 * key's history down: the shortest prefix (in invocation order) that fails, then the latest
 * start from which that prefix still fails whatever value the key held there.
 */
public final class LinearizabilityChecker {

    /** Search steps per key before the checker gives up and says so (a sign of a history too concurrent to check). */
    static final long STEP_LIMIT = 50_000_000L;

    private LinearizabilityChecker() {
    }

    public static Verdict check(History history) {
        long started = System.nanoTime();
        var keys = history.byKey();
        Optional<Anomaly> anomaly = Optional.empty();
        for (var entry : keys.entrySet()) {
            anomaly = checkKey(entry.getKey(), entry.getValue());
            if (anomaly.isPresent()) {
                break;
            }
        }
        return new Verdict(history.size(), history.unknown(), keys.size(), anomaly.isEmpty(), anomaly,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static Optional<Anomaly> checkKey(String key, List<Operation> all) {
        var versionsOfValue = new HashMap<String, Set<String>>();
        var valuesOfVersion = new HashMap<String, Set<String>>();
        for (var op : all) {
            seen(op).ifPresent(f -> {
                versionsOfValue.computeIfAbsent(f.value(), v -> new TreeSet<>()).add(f.version());
                valuesOfVersion.computeIfAbsent(f.version(), v -> new TreeSet<>()).add(f.value());
            });
        }
        for (var e : versionsOfValue.entrySet()) {
            if (e.getValue().size() > 1) {
                return Optional.of(new Anomaly(key, "value '" + e.getKey() + "' (written once) was seen at versions "
                        + e.getValue() + ": a write took effect twice, or a version changed without a write",
                        all.stream().filter(op -> seen(op).map(f -> f.value().equals(e.getKey())).orElse(false)
                                || op.value().equals(e.getKey())).toList()));
            }
        }
        for (var e : valuesOfVersion.entrySet()) {
            if (e.getValue().size() > 1) {
                return Optional.of(new Anomaly(key, "version '" + e.getKey() + "' was seen with " + e.getValue().size()
                        + " different values " + e.getValue() + ": a version was reused, so a stale compare-and-set"
                        + " would match", all.stream().filter(op -> seen(op).map(f -> f.version().equals(e.getKey()))
                        .orElse(false)).toList()));
            }
        }
        var lostVersions = new HashMap<Long, String>();
        var ops = new ArrayList<Operation>();
        for (var op : all) {
            if (op.lost() && !op.write()) {
                continue; // a read without an answer tells nothing
            }
            if (op.lost() && op.kind() != Operation.Kind.DELETE_IF_VERSION) {
                var versions = versionsOfValue.get(op.value());
                lostVersions.put(op.id(), versions == null ? "unseen version of lost write " + op.id() : versions.iterator().next());
            }
            ops.add(op);
        }
        var result = new RegisterSearch(ops, lostVersions, STEP_LIMIT).run(State.ABSENT);
        if (result == Result.LINEARIZABLE) {
            return Optional.empty();
        }
        if (result == Result.UNDECIDED) {
            return Optional.of(new Anomaly(key, "undecided: the search gave up after " + STEP_LIMIT + " steps over "
                    + ops.size() + " operations; record fewer clients or fewer lost answers per key", List.of()));
        }
        return Optional.of(window(key, ops, lostVersions));
    }

    /** What an operation saw or made: a value at a version. */
    private static Optional<Outcome.Found> seen(Operation op) {
        return switch (op.outcome()) {
            case Outcome.Found f -> Optional.of(f);
            case Outcome.Refused r -> r.current();
            case Outcome.Wrote w -> Optional.of(new Outcome.Found(op.value(), w.version()));
            default -> Optional.empty();
        };
    }

    private static Anomaly window(String key, List<Operation> ops, Map<Long, String> lostVersions) {
        // the shortest failing prefix: prefix lo passes, prefix hi fails
        int lo = 0;
        int hi = ops.size();
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (fails(ops.subList(0, mid), lostVersions, List.of(State.ABSENT))) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        var prefix = ops.subList(0, hi);
        var last = prefix.get(hi - 1);
        // the latest start from which the prefix fails from any value the key might hold there
        int from = 0;
        if (fails(suffix(prefix, 0), lostVersions, starts(suffix(prefix, 0), ops))) {
            int good = hi - 1;
            int bad = 0;
            if (fails(suffix(prefix, good), lostVersions, starts(suffix(prefix, good), ops))) {
                bad = good;
            }
            while (good - bad > 1) {
                int mid = (good + bad) >>> 1;
                var window = suffix(prefix, mid);
                if (fails(window, lostVersions, starts(window, ops))) {
                    bad = mid;
                } else {
                    good = mid;
                }
            }
            from = bad;
            return new Anomaly(key, "no order of these " + suffix(prefix, from).size() + " operations is one a register"
                    + " allows, whatever value the key held before them (the last one, op " + last.id()
                    + ", cannot be placed)", suffix(prefix, from));
        }
        return new Anomaly(key, "no order of the first " + prefix.size() + " operations on the key is one a register"
                + " allows (the last one, op " + last.id() + ", cannot be placed)", prefix);
    }

    /** Operations of the prefix invoked at or after the i-th, and those still open when it was invoked. */
    private static List<Operation> suffix(List<Operation> prefix, int i) {
        long start = prefix.get(i).invoked();
        var window = new ArrayList<Operation>();
        for (int k = 0; k < prefix.size(); k++) {
            if (k >= i || prefix.get(k).completed() > start) {
                window.add(prefix.get(k));
            }
        }
        return window;
    }

    /** The values a window may start from: none, each one it refers to, and one it never mentions. */
    private static List<State> starts(List<Operation> window, List<Operation> all) {
        var valueOfVersion = new HashMap<String, String>();
        for (var op : all) {
            seen(op).ifPresent(f -> valueOfVersion.put(f.version(), f.value()));
        }
        var states = new LinkedHashSet<State>();
        states.add(State.ABSENT);
        states.add(new State("a value no operation here mentions", "a version no operation here mentions"));
        for (var op : window) {
            seen(op).ifPresent(f -> states.add(new State(f.value(), f.version())));
            if (!op.expected().isEmpty() && valueOfVersion.containsKey(op.expected())) {
                states.add(new State(valueOfVersion.get(op.expected()), op.expected()));
            }
        }
        return List.copyOf(states);
    }

    private static boolean fails(List<Operation> ops, Map<Long, String> lostVersions, List<State> starts) {
        var search = new RegisterSearch(ops, lostVersions, STEP_LIMIT);
        for (var start : starts) {
            if (search.run(start) == Result.LINEARIZABLE) {
                return false;
            }
        }
        return true;
    }
}
