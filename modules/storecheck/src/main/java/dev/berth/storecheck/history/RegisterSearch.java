package dev.berth.storecheck.history;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Wing-Gong search with Lowe's memo (as Porcupine does it) over the operations of one key,
 * against a versioned register. The operations sit in a list of call and return events in time
 * order; the search linearizes the first call it can, restarts from the head, and backs up when it
 * meets the return of an operation it has not placed. Lost writes have no return event: they may
 * be placed anywhere after their call (took effect) or never (did not); the search succeeds when
 * every answered operation is placed. Gets with a lost answer say nothing and are not given here.
 */
final class RegisterSearch {

    /** The register: a value at a version, or no value ({@code value == null}). */
    record State(String value, String version) {
        static final State ABSENT = new State(null, null);

        boolean present() {
            return value != null;
        }

        boolean at(String expected) {
            return present() && version.equals(expected);
        }
    }

    enum Result { LINEARIZABLE, NOT_LINEARIZABLE, UNDECIDED }

    private record Memo(long[] placed, State state) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Memo m && Arrays.equals(placed, m.placed) && state.equals(m.state);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(placed) * 31 + state.hashCode();
        }
    }

    private final List<Operation> ops;
    private final Map<Long, String> lostVersions;
    private final long stepLimit;

    /**
     * @param lostVersions for each lost put or compare-and-set, the version its value would have
     *                     (seen by a read, or a token that matches no expected version)
     */
    RegisterSearch(List<Operation> ops, Map<Long, String> lostVersions, long stepLimit) {
        this.ops = List.copyOf(ops);
        this.lostVersions = lostVersions;
        this.stepLimit = stepLimit;
    }

    /** The state after {@code op} on {@code state}, or null when the register cannot answer that way. */
    State step(Operation op, State state) {
        return switch (op.outcome()) {
            case Outcome.Found f -> state.present() && state.value().equals(f.value()) && state.version().equals(f.version())
                    ? state : null;
            case Outcome.Absent a -> state.present() ? null : state;
            case Outcome.Wrote w -> switch (op.kind()) {
                case PUT_IF_ABSENT -> state.present() ? null : new State(op.value(), w.version());
                case COMPARE_AND_SET -> state.at(op.expected()) && !w.version().equals(op.expected())
                        ? new State(op.value(), w.version()) : null;
                default -> null;
            };
            case Outcome.Refused r -> {
                boolean refusable = switch (op.kind()) {
                    case PUT_IF_ABSENT -> state.present();
                    case COMPARE_AND_SET, DELETE_IF_VERSION -> !state.at(op.expected());
                    case GET -> false;
                };
                boolean sawIt = r.current().map(c -> state.present() && c.value().equals(state.value())
                        && c.version().equals(state.version())).orElse(true);
                yield refusable && sawIt ? state : null;
            }
            case Outcome.Removed d -> op.kind() == Operation.Kind.DELETE_IF_VERSION && state.at(op.expected())
                    ? State.ABSENT : null;
            case Outcome.Lost l -> switch (op.kind()) { // the branch where it took effect
                case PUT_IF_ABSENT -> state.present() ? null : new State(op.value(), lostVersions.get(op.id()));
                case COMPARE_AND_SET -> state.at(op.expected()) ? new State(op.value(), lostVersions.get(op.id())) : null;
                case DELETE_IF_VERSION -> state.at(op.expected()) ? State.ABSENT : null;
                case GET -> null;
            };
        };
    }

    Result run(State initial) {
        Objects.requireNonNull(initial, "initial");
        int n = ops.size();
        // events: 2k = call of op k, 2k+1 = its return (none for a lost op); nodes are 1..events, 0 head, last tail
        int[] order = new int[2 * n];
        int events = 0;
        for (int k = 0; k < n; k++) {
            order[events++] = 2 * k;
            if (!ops.get(k).lost()) {
                order[events++] = 2 * k + 1;
            }
        }
        Integer[] sorted = new Integer[events];
        for (int i = 0; i < events; i++) {
            sorted[i] = order[i];
        }
        // by time; at equal times a call comes first (timestamps that tie are treated as concurrent)
        Arrays.sort(sorted, (a, b) -> {
            int c = Long.compare(time(a), time(b));
            return c != 0 ? c : Integer.compare(a & 1, b & 1);
        });
        int tail = events + 1;
        int[] next = new int[events + 2];
        int[] prev = new int[events + 2];
        int[] event = new int[events + 2];
        int[] callNode = new int[n];
        int[] returnNode = new int[n];
        Arrays.fill(returnNode, -1);
        int definite = 0;
        for (int i = 0; i < events; i++) {
            int node = i + 1;
            event[node] = sorted[i];
            int k = sorted[i] >> 1;
            if ((sorted[i] & 1) == 0) {
                callNode[k] = node;
            } else {
                returnNode[k] = node;
                definite++;
            }
        }
        for (int node = 0; node <= tail; node++) {
            next[node] = Math.min(node + 1, tail);
            prev[node] = Math.max(node - 1, 0);
        }

        var memo = new HashSet<Memo>();
        long[] placed = new long[(n + 63) / 64];
        int[] stackOp = new int[n];
        State[] stackState = new State[n];
        int depth = 0;
        State state = initial;
        int remaining = definite;
        int node = next[0];
        long steps = 0;
        while (remaining > 0) {
            if (++steps > stepLimit) {
                return Result.UNDECIDED;
            }
            if (node == tail) {
                return Result.NOT_LINEARIZABLE; // unreachable while an answered operation is left: its return is listed
            }
            int k = event[node] >> 1;
            if ((event[node] & 1) == 0) {
                State after = step(ops.get(k), state);
                if (after != null) {
                    placed[k >> 6] |= 1L << k;
                    if (memo.add(new Memo(placed.clone(), after))) {
                        stackOp[depth] = k;
                        stackState[depth++] = state;
                        state = after;
                        unlink(callNode[k], next, prev);
                        if (returnNode[k] >= 0) {
                            unlink(returnNode[k], next, prev);
                            remaining--;
                        }
                        node = next[0];
                        continue;
                    }
                    placed[k >> 6] &= ~(1L << k);
                }
                node = next[node];
            } else {
                if (depth == 0) {
                    return Result.NOT_LINEARIZABLE;
                }
                int back = stackOp[--depth];
                state = stackState[depth];
                placed[back >> 6] &= ~(1L << back);
                if (returnNode[back] >= 0) {
                    relink(returnNode[back], next, prev);
                    remaining++;
                }
                relink(callNode[back], next, prev);
                node = next[callNode[back]];
            }
        }
        return Result.LINEARIZABLE;
    }

    private long time(int eventCode) {
        var op = ops.get(eventCode >> 1);
        return (eventCode & 1) == 0 ? op.invoked() : op.completed();
    }

    private static void unlink(int node, int[] next, int[] prev) {
        next[prev[node]] = next[node];
        prev[next[node]] = prev[node];
    }

    private static void relink(int node, int[] next, int[] prev) {
        next[prev[node]] = node;
        prev[next[node]] = node;
    }
}
