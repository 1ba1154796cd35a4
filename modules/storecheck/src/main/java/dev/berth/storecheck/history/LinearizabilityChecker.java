package dev.berth.storecheck.history;

import dev.berth.storecheck.history.RegisterSearch.Result;
import dev.berth.storecheck.history.RegisterSearch.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * key's history down to a window in time (see {@link #window}): the first instant by which the
 * history as it stood already fails, then the latest start from which that still fails whatever
 * value the key held there.
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

    /**
     * The anomaly's window: a slice of the key's history in time that fails on its own whatever
     * value the key held when it began, and whose failure the rest of the history cannot undo.
     *
     * <p>A slice is cut at two instants. At its end {@code to}, the history is taken as it stood
     * then: calls invoked later are left out, and calls still running are pending, so they may
     * or may not have taken effect (a write becomes one whose answer was lost; a read or a refused
     * write, which changes nothing, is left out). These time prefixes fail from some instant on
     * and never pass again, which a search in invocation order does not give: a call that started
     * later may explain an earlier one (issue 17: a refused call that waited 9 ms saw a version
     * that a put invoked after it wrote). At its start {@code from}, calls answered before are
     * left out (the start value stands for them) and calls running across it may have taken
     * their point before or after it, so they too are pending. Both bisections are over
     * predicates that are monotone, so the window is the last failing start of the first failing
     * end.
     */
    private static Anomaly window(String key, List<Operation> ops, Map<Long, String> lostVersions) {
        var versions = new HashMap<>(lostVersions);
        for (var op : ops) {
            if (op.outcome() instanceof Outcome.Wrote w) {
                versions.put(op.id(), w.version()); // the version a write answered late would have
            }
        }
        long[] ends = ops.stream().filter(op -> !op.lost()).mapToLong(Operation::completed).sorted().distinct().toArray();
        if (ends.length == 0 || !fails(slice(ops, Long.MIN_VALUE, ends[ends.length - 1]), versions, List.of(State.ABSENT))) {
            return new Anomaly(key, "no order of the " + ops.size() + " operations on the key is one a register allows",
                    ops);
        }
        // the first failing end: slices up to ends[lo] pass (lo = -1: none answered yet), up to ends[hi] fail
        int lo = -1;
        int hi = ends.length - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (fails(slice(ops, Long.MIN_VALUE, ends[mid]), versions, List.of(State.ABSENT))) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        long to = ends[hi];
        var last = ops.stream().filter(op -> !op.lost() && op.completed() == to).findFirst().orElseThrow();
        var whole = slice(ops, Long.MIN_VALUE, to);
        if (!fails(whole, versions, starts(whole, ops))) {
            return new Anomaly(key, "no order of the operations on the key up to op " + last.id() + "'s answer is one a"
                    + " register allows (op " + last.id() + " cannot be placed)", shown(ops, whole));
        }
        // the latest failing start: from[good] passes, from[bad] fails
        long[] froms = whole.stream().mapToLong(Operation::invoked).sorted().distinct().toArray();
        int bad = 0;
        int good = froms.length;
        while (good - bad > 1) {
            int mid = (good + bad) >>> 1;
            var window = slice(ops, froms[mid], to);
            if (fails(window, versions, starts(window, ops))) {
                bad = mid;
            } else {
                good = mid;
            }
        }
        var window = slice(ops, froms[bad], to);
        return new Anomaly(key, "no order of these " + window.size() + " operations is one a register allows, whatever"
                + " value the key held before them (the last one answered, op " + last.id() + ", cannot be placed;"
                + " a call still running at either edge of the window may or may not have taken effect in it)",
                shown(ops, window));
    }

    /**
     * The calls of the key between {@code from} and {@code to}: those invoked by {@code to} and
     * not answered before {@code from}. A call running across either edge (or never answered) is
     * pending: a write may or may not take effect in the slice, a read or a refused write is left
     * out.
     */
    private static List<Operation> slice(List<Operation> ops, long from, long to) {
        var slice = new ArrayList<Operation>();
        for (var op : ops) {
            if (op.invoked() > to || op.completed() < from) {
                continue;
            }
            if (!op.lost() && op.completed() <= to && op.invoked() >= from) {
                slice.add(op);
            } else if (op.lost() || op.outcome() instanceof Outcome.Wrote || op.outcome() instanceof Outcome.Removed) {
                slice.add(Operation.start(op.id(), op.client(), op.key(), op.kind(), op.value(), op.expected(), op.invoked()));
            }
        }
        return slice;
    }

    /** The recorded operations (with their answers) behind a slice, for the report. */
    private static List<Operation> shown(List<Operation> ops, List<Operation> slice) {
        var ids = new HashSet<Long>();
        slice.forEach(op -> ids.add(op.id()));
        return ops.stream().filter(op -> ids.contains(op.id())).toList();
    }

    /**
     * The values a window may start from: none, one it never mentions, each one it saw, and for
     * each version it expects, that version with the value it had (or one it never mentions, for a
     * version nobody saw). A start value outside these behaves like one of them, as the register
     * only compares what the operations name.
     */
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
            if (!op.expected().isEmpty()) {
                states.add(new State(valueOfVersion.getOrDefault(op.expected(), "a value no operation here mentions"),
                        op.expected()));
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
