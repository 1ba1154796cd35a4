package dev.berth.storecheck;

import dev.berth.spi.ClaimStore;
import dev.berth.storecheck.history.History;
import dev.berth.storecheck.history.HistoryRecorder;
import dev.berth.storecheck.history.LinearizabilityChecker;
import dev.berth.storecheck.history.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * {@code berth store check --history N}: records N operations of concurrent clients on a few
 * keys under a fresh scratch sub-prefix, checks that history for linearizability, and empties
 * the sub-prefix again, also when the recording fails.
 */
public final class HistoryCheck {
    static final int MAX_OPERATIONS = 1_000_000;
    static final int KEYS = 4;
    static final Duration LIMIT = Duration.ofMinutes(30);

    private HistoryCheck() {
    }

    /** The verdict, and what could not be cleaned up (which does not make a store unsafe). */
    public record Result(Verdict verdict, List<String> notes) {
        public Result {
            notes = List.copyOf(notes);
        }
    }

    public static Result run(ClaimStore store, String scratchPrefix, int operations, int clients) {
        Objects.requireNonNull(store, "store");
        if (operations < 1 || operations > MAX_OPERATIONS) {
            throw new IllegalArgumentException("the history must have 1.." + MAX_OPERATIONS + " operations, got " + operations);
        }
        if (clients < 1 || clients > StoreCheck.MAX_THREADS) {
            throw new IllegalArgumentException("the history needs 1.." + StoreCheck.MAX_THREADS + " clients, got " + clients);
        }
        String prefix = scratchPrefix.isEmpty() || scratchPrefix.endsWith("/") ? scratchPrefix : scratchPrefix + "/";
        String base = prefix + "history-" + UUID.randomUUID().toString().substring(0, 8) + "/";
        var keys = IntStream.range(0, KEYS).mapToObj(k -> base + "k" + k).toList();
        var notes = new ArrayList<String>();
        History history;
        try {
            history = HistoryRecorder.run(store, keys, clients, operations, LIMIT);
        } finally {
            try {
                for (var record : store.list(base)) {
                    store.deleteIfVersion(record.key(), record.version());
                }
                if (!store.list(base).isEmpty()) {
                    notes.add("could not remove every scratch key under " + base + "; delete them by hand");
                }
            } catch (RuntimeException e) {
                notes.add("could not clean up the scratch keys under " + base + " (" + e.getMessage()
                        + "); delete them by hand");
            }
        }
        return new Result(LinearizabilityChecker.check(history), notes);
    }
}
