package dev.berth.storecheck.history;

import dev.berth.spi.ClaimStore;
import dev.berth.spi.Conflict;
import dev.berth.spi.DeleteResult;
import dev.berth.spi.Deleted;
import dev.berth.spi.Versioned;
import dev.berth.spi.WriteResult;
import dev.berth.spi.Written;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records a history: clients call a random mix of get, put-if-absent, compare-and-set and
 * delete-if-version on a few keys, each write with a value no other write uses, and note when
 * each call started, when it answered and what it answered. The store is called directly,
 * without berth's retry layer: a call that throws (a {@code StoreException}, retryable or not,
 * or anything else) has a lost answer, so a write may or may not have taken effect.
 */
public final class HistoryRecorder {

    /** Where a client reports its operations: once when invoked, once more when answered. */
    @FunctionalInterface
    public interface Sink {
        void record(Operation op);
    }

    private HistoryRecorder() {
    }

    /**
     * Runs {@code clients} threads, {@code operations} calls in all (or until {@code limit} has
     * passed), over {@code keys}, which must not exist yet.
     */
    public static History run(ClaimStore store, List<String> keys, int clients, int operations, Duration limit) {
        return run(List.of(store), keys, clients, operations, limit);
    }

    /** As {@link #run(ClaimStore, List, int, int, Duration)}, client {@code c} calling {@code stores[c % stores.size()]}. */
    public static History run(List<? extends ClaimStore> stores, List<String> keys, int clients, int operations,
                              Duration limit) {
        return runUntil(stores, keys, clients, () -> false, operations, limit);
    }

    /**
     * As {@link #run(List, List, int, int, Duration)}, but the clients stop as soon as {@code enough} holds
     * (asked before each call): for a trial that must see its faults, however fast the store answers.
     */
    public static History runUntil(List<? extends ClaimStore> stores, List<String> keys, int clients,
                                   java.util.function.BooleanSupplier enough, int operations, Duration limit) {
        if (clients < 1 || operations < 1 || keys.isEmpty()) {
            throw new IllegalArgumentException("a recording needs clients, operations and keys (got " + clients + ", "
                    + operations + ", " + keys.size() + ")");
        }
        var recorded = new ConcurrentHashMap<Long, Operation>();
        var budget = new AtomicInteger(operations);
        long deadline = System.nanoTime() + limit.toNanos();
        var threads = new ArrayList<Thread>();
        long seed = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            var client = new Client(stores.get(c % stores.size()), keys, c, seed + c, op -> recorded.put(op.id(), op));
            threads.add(Thread.ofPlatform().daemon().name("berth-history-" + c).start(() -> {
                while (!enough.getAsBoolean() && budget.getAndDecrement() > 0 && System.nanoTime() < deadline) {
                    client.step();
                }
            }));
        }
        for (var thread : threads) {
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000 + 60_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new History(new ArrayList<>(recorded.values()));
    }

    /** One client: call {@link #step()} in a loop. Not thread-safe; one per thread or process. */
    public static final class Client {
        private static final long PAUSE_AFTER_FAILURE_MILLIS = 20;

        private final ClaimStore store;
        private final List<String> keys;
        private final int client;
        private final SplittableRandom random;
        private final Sink sink;
        /** Per key, the last version this client saw: what it will expect. */
        private final Map<String, String> known = new HashMap<>();
        private int sequence;
        private int failures;

        public Client(ClaimStore store, List<String> keys, int client, long seed, Sink sink) {
            this.store = Objects.requireNonNull(store, "store");
            this.keys = List.copyOf(keys);
            this.client = client;
            this.random = new SplittableRandom(seed);
            this.sink = Objects.requireNonNull(sink, "sink");
        }

        /** Calls the store once and returns the operation, answered or lost. */
        public Operation step() {
            String key = keys.get(random.nextInt(keys.size()));
            int dice = random.nextInt(100);
            var kind = dice < 30 ? Operation.Kind.GET
                    : dice < 50 ? Operation.Kind.PUT_IF_ABSENT
                    : dice < 85 ? Operation.Kind.COMPARE_AND_SET
                    : Operation.Kind.DELETE_IF_VERSION;
            long id = client * 1_000_000L + sequence++; // readable in reports: client 3, op 17 is 3000017
            String value = kind == Operation.Kind.PUT_IF_ABSENT || kind == Operation.Kind.COMPARE_AND_SET
                    ? "c" + client + "-" + (sequence - 1) : "";
            String expected = kind == Operation.Kind.COMPARE_AND_SET || kind == Operation.Kind.DELETE_IF_VERSION
                    ? known.getOrDefault(key, "0") : "";
            var op = Operation.start(id, client, key, kind, value, expected, System.nanoTime());
            sink.record(op);
            Outcome answer;
            try {
                answer = call(op);
            } catch (RuntimeException e) {
                answer = new Outcome.Lost();
            }
            var done = op.completed(System.nanoTime(), answer);
            if (!done.lost()) {
                sink.record(done);
            } else {
                failures++;
                pause();
            }
            learn(key, answer);
            return done;
        }

        /** Calls that threw so far. */
        public int failures() {
            return failures;
        }

        private Outcome call(Operation op) {
            return switch (op.kind()) {
                case GET -> store.get(op.key()).<Outcome>map(Client::found).orElseGet(Outcome.Absent::new);
                case PUT_IF_ABSENT -> written(store.putIfAbsent(op.key(), bytes(op.value())));
                case COMPARE_AND_SET -> written(store.compareAndSet(op.key(), op.expected(), bytes(op.value())));
                case DELETE_IF_VERSION -> deleted(store.deleteIfVersion(op.key(), op.expected()));
            };
        }

        private void learn(String key, Outcome answer) {
            switch (answer) {
                case Outcome.Found f -> known.put(key, f.version());
                case Outcome.Wrote w -> known.put(key, w.version());
                case Outcome.Refused r -> r.current().ifPresent(c -> known.put(key, c.version()));
                default -> {
                }
            }
        }

        private void pause() {
            try {
                Thread.sleep(PAUSE_AFTER_FAILURE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static Outcome.Found found(Versioned v) {
            return new Outcome.Found(new String(v.value(), StandardCharsets.UTF_8), v.version());
        }

        private static Outcome written(WriteResult result) {
            return switch (result) {
                case Written w -> new Outcome.Wrote(w.version());
                case Conflict c -> new Outcome.Refused(c.current().map(Client::found));
            };
        }

        private static Outcome deleted(DeleteResult result) {
            return switch (result) {
                case Deleted d -> new Outcome.Removed();
                case Conflict c -> new Outcome.Refused(c.current().map(Client::found));
            };
        }

        private static byte[] bytes(String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }
}
