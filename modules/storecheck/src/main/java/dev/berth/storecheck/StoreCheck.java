package dev.berth.storecheck;

import dev.berth.spi.ClaimStore;
import dev.berth.spi.StoreException;
import dev.berth.spi.Conflict;
import dev.berth.spi.DeleteResult;
import dev.berth.spi.Deleted;
import dev.berth.spi.Versioned;
import dev.berth.spi.WriteResult;
import dev.berth.spi.Written;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Probes a {@link ClaimStore} before berth trusts it with claims: put-if-absent, compare-and-set
 * and conditional delete one call at a time, then a bounded race of concurrent writers for
 * each of them. Everything happens under a fresh sub-prefix of the scratch prefix, and that
 * sub-prefix is emptied afterwards, also when a probe fails.
 */
public final class StoreCheck {

    /** The longest one round of a race may take before the check reports the store as hanging. */
    static final Duration ROUND_TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_THREADS = 256;
    static final int MAX_ROUNDS = 10_000;

    private final ClaimStore store;
    private final String base;
    private final int threads;
    private final int rounds;
    private final List<Finding> findings = new ArrayList<>();
    private final List<String> passed = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private StoreCheck(ClaimStore store, String base, int threads, int rounds) {
        this.store = store;
        this.base = base;
        this.threads = threads;
        this.rounds = rounds;
    }

    /**
     * Runs every probe against {@code store} under {@code scratchPrefix} with {@code threads}
     * concurrent writers for {@code rounds} rounds per race, and cleans up.
     */
    public static StoreCheckReport run(ClaimStore store, String scratchPrefix, int threads, int rounds) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(scratchPrefix, "scratchPrefix");
        if (threads < 2 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("store check threads must be 2.." + MAX_THREADS + ", got " + threads);
        }
        if (rounds < 1 || rounds > MAX_ROUNDS) {
            throw new IllegalArgumentException("store check rounds must be 1.." + MAX_ROUNDS + ", got " + rounds);
        }
        String prefix = scratchPrefix.isEmpty() || scratchPrefix.endsWith("/") ? scratchPrefix : scratchPrefix + "/";
        String base = prefix + "storecheck-" + UUID.randomUUID().toString().substring(0, 8) + "/";
        long started = System.nanoTime();
        var check = new StoreCheck(store, base, threads, rounds);
        try {
            check.sequentialProbes();
            check.races();
        } finally {
            check.cleanUp();
        }
        return new StoreCheckReport(store.describe(), check.findings.isEmpty(), check.findings, check.passed,
                check.notes, Duration.ofNanos(System.nanoTime() - started));
    }

    // ---- sequential probes -----------------------------------------------------------------

    /** How long the check waits for a store's first answer (a cold client, a busy machine) before probing. */
    private static final long FIRST_ANSWER_NANOS = TimeUnit.SECONDS.toNanos(120);

    /**
     * Waits for the store to answer a read at all, retrying what the store calls retryable (a timeout while
     * its client connects), so that a slow first answer is not mistaken for a probe's failure. Gives up after
     * {@link #FIRST_ANSWER_NANOS}; the probes then report what they see.
     */
    private void awaitFirstAnswer() {
        long deadline = System.nanoTime() + FIRST_ANSWER_NANOS;
        long pause = 200;
        while (true) {
            try {
                store.get(base + "first-answer");
                return;
            } catch (StoreException e) {
                if (!e.retryable() || System.nanoTime() > deadline) {
                    return;
                }
                notes.add("the store's first answer was slow (" + e.getMessage() + "); retried");
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause = Math.min(pause * 2, 5_000);
        }
    }

    private void sequentialProbes() {
        awaitFirstAnswer();
        probe("get", this::probeGet);
        probe("putIfAbsent", this::probePutIfAbsent);
        probe("compareAndSet", this::probeCompareAndSet);
        probe("deleteIfVersion", this::probeDeleteIfVersion);
        probe("re-create after delete", this::probeRecreate);
        probe("list", this::probeList);
    }

    private interface Probe {
        void run(String key);
    }

    private void probe(String name, Probe probe) {
        int before = findings.size();
        try {
            probe.run(base + "seq/" + name.replace(' ', '-'));
        } catch (RuntimeException e) {
            findings.add(new Finding(name, "the probe failed, so the store's behaviour is unknown: " + e.getMessage()));
        }
        if (findings.size() == before) {
            passed.add(name);
        }
    }

    private void probeGet(String key) {
        if (store.get(key).isPresent()) {
            unsafe("get", "a key that was never written reads as present");
        }
    }

    private void probePutIfAbsent(String key) {
        var first = store.putIfAbsent(key, bytes("first"));
        if (!(first instanceof Written written)) {
            unsafe("putIfAbsent", "putIfAbsent on a missing key did not write (" + first + ")");
            return;
        }
        var read = store.get(key);
        if (read.isEmpty()) {
            unsafe("putIfAbsent", "putIfAbsent reported a write but get finds no value");
            return;
        }
        if (!Arrays.equals(read.get().value(), bytes("first"))) {
            unsafe("putIfAbsent", "the value read back differs from the value written");
        }
        if (!read.get().version().equals(written.version())) {
            unsafe("putIfAbsent", "get returns version " + read.get().version() + " but the write returned "
                    + written.version());
        }
        if (store.putIfAbsent(key, bytes("second")) instanceof Written) {
            unsafe("putIfAbsent", "putIfAbsent on an existing key was accepted: two creators would both win");
        } else if (!store.get(key).map(v -> Arrays.equals(v.value(), bytes("first"))).orElse(false)) {
            unsafe("putIfAbsent", "a rejected putIfAbsent changed the value");
        }
    }

    private void probeCompareAndSet(String key) {
        if (store.compareAndSet(key + "-missing", "1", bytes("x")) instanceof Written
                || store.get(key + "-missing").isPresent()) {
            unsafe("compareAndSet", "compareAndSet on a missing key was accepted");
        }
        var created = written(store.putIfAbsent(key, bytes("epoch=1")), "putIfAbsent");
        if (store.compareAndSet(key, "wrong-" + created.version(), bytes("epoch=bogus")) instanceof Written) {
            unsafe("compareAndSet", "compareAndSet with a wrong version was accepted");
            return;
        }
        var result = store.compareAndSet(key, created.version(), bytes("epoch=1"));
        if (!(result instanceof Written second)) {
            unsafe("compareAndSet", "compareAndSet with the current version was rejected (" + result + ")");
            return;
        }
        if (second.version().equals(created.version())) {
            unsafe("compareAndSet", "the version did not change when the same bytes were written again"
                    + " (a content hash is not a version): a stale writer would still match");
        }
        if (store.compareAndSet(key, created.version(), bytes("epoch=stale")) instanceof Written) {
            unsafe("compareAndSet", "compareAndSet with a stale version was accepted");
        }
        var now = store.get(key);
        if (now.isEmpty() || !now.get().version().equals(second.version())) {
            unsafe("compareAndSet", "after a compareAndSet get does not return the version it wrote");
        }
    }

    private void probeDeleteIfVersion(String key) {
        var first = written(store.putIfAbsent(key, bytes("v1")), "putIfAbsent");
        var second = written(store.compareAndSet(key, first.version(), bytes("v2")), "compareAndSet");
        if (store.deleteIfVersion(key, first.version()) instanceof Deleted || store.get(key).isEmpty()) {
            unsafe("deleteIfVersion", "deleteIfVersion with a stale version was accepted");
            return;
        }
        DeleteResult result = store.deleteIfVersion(key, second.version());
        if (!(result instanceof Deleted)) {
            unsafe("deleteIfVersion", "deleteIfVersion with the current version was rejected (" + result + ")");
            return;
        }
        if (store.get(key).isPresent()) {
            unsafe("deleteIfVersion", "deleteIfVersion reported Deleted but the key still reads as present");
        }
        if (store.deleteIfVersion(key, second.version()) instanceof Deleted) {
            unsafe("deleteIfVersion", "deleting an already deleted key was accepted");
        }
    }

    private void probeRecreate(String key) {
        var first = written(store.putIfAbsent(key, bytes("a")), "putIfAbsent");
        if (!(store.deleteIfVersion(key, first.version()) instanceof Deleted)) {
            unsafe("re-create after delete", "deleteIfVersion with the current version was rejected");
            return;
        }
        var again = store.putIfAbsent(key, bytes("b"));
        if (!(again instanceof Written)) {
            unsafe("re-create after delete", "putIfAbsent after a delete was rejected (" + again + ")");
            return;
        }
        if (store.compareAndSet(key, first.version(), bytes("stale")) instanceof Written) {
            unsafe("re-create after delete", "a version read before the delete matched the re-created key"
                    + " (ABA): a holder from before would overwrite the new record");
        }
    }

    private void probeList(String key) {
        var names = List.of("1", "10", "1/x", "2");
        for (String name : names) {
            written(store.putIfAbsent(key + "/" + name, bytes(name)), "putIfAbsent");
        }
        var all = store.list(key + "/").stream().map(Versioned::key).toList();
        var expected = List.of(key + "/1", key + "/1/x", key + "/10", key + "/2");
        if (!all.equals(expected)) {
            unsafe("list", "list of '" + key + "/' returned " + all + ", expected " + expected + " (sorted)");
        }
        var under1 = store.list(key + "/1/").stream().map(Versioned::key).toList();
        if (!under1.equals(List.of(key + "/1/x"))) {
            unsafe("list", "list of '" + key + "/1/' returned " + under1 + ": the prefix is not exact");
        }
    }

    // ---- races -----------------------------------------------------------------------------

    private void races() {
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            var thread = new Thread(runnable, "berth-storecheck");
            thread.setDaemon(true);
            return thread;
        });
        try {
            race("concurrent putIfAbsent", () -> racePutIfAbsent(pool));
            race("concurrent compareAndSet", () -> raceCompareAndSet(pool));
            race("concurrent deleteIfVersion", () -> raceDelete(pool));
        } finally {
            pool.shutdownNow();
        }
    }

    private void race(String name, Runnable race) {
        int before = findings.size();
        try {
            race.run();
        } catch (RaceAborted e) {
            findings.add(new Finding(name, e.getMessage()));
        } catch (RuntimeException e) {
            findings.add(new Finding(name, "the race failed, so the store's behaviour is unknown: " + e.getMessage()));
        }
        if (findings.size() == before) {
            passed.add(name + " (" + threads + " writers x " + rounds + " rounds)");
        }
    }

    private void racePutIfAbsent(ExecutorService pool) {
        var tally = new Tally();
        for (int round = 0; round < rounds; round++) {
            String key = base + "race/put/" + round;
            int wins = countWins(pool, t -> () -> null, (t, ignored) -> store.putIfAbsent(key, bytes("holder=" + t))
                    instanceof Written);
            tally.add(wins);
        }
        if (tally.overWins > 0 || tally.noWins > 0) {
            unsafe("concurrent putIfAbsent", tally.describe("putIfAbsent", "writers"));
        }
    }

    private void raceCompareAndSet(ExecutorService pool) {
        String key = base + "race/cas";
        written(store.putIfAbsent(key, epoch(0, "none")), "putIfAbsent");
        var tally = new Tally();
        long reportedWins = 0;
        for (int round = 0; round < rounds; round++) {
            var current = store.get(key).orElseThrow(() -> new RaceAborted(
                    "the race key " + key + " vanished: a write was lost"));
            long next = epochOf(current.value()) + 1;
            int wins = countWins(pool, t -> () -> current,
                    (t, read) -> store.compareAndSet(key, read.version(), epoch(next, "writer-" + t)) instanceof Written);
            tally.add(wins);
            reportedWins += wins;
        }
        if (tally.overWins > 0 || tally.noWins > 0) {
            String problem = tally.describe("compareAndSet", "writers");
            if (tally.overWins > 0) {
                problem = "compareAndSet (If-Match or its equivalent) is not atomic: " + problem;
            }
            unsafe("concurrent compareAndSet", problem);
        }
        long finalEpoch = epochOf(store.get(key).map(Versioned::value).orElse(epoch(-1, "gone")));
        if (finalEpoch != rounds && tally.overWins == 0 && tally.noWins == 0) {
            unsafe("concurrent compareAndSet", reportedWins + " compareAndSet calls reported success but the key"
                    + " shows epoch " + finalEpoch + ": updates were lost");
        }
    }

    private void raceDelete(ExecutorService pool) {
        var tally = new Tally();
        for (int round = 0; round < rounds; round++) {
            String key = base + "race/del/" + round;
            var created = written(store.putIfAbsent(key, bytes("doomed")), "putIfAbsent");
            int wins = countWins(pool, t -> () -> created,
                    (t, w) -> store.deleteIfVersion(key, w.version()) instanceof Deleted);
            tally.add(wins);
        }
        if (tally.overWins > 0 || tally.noWins > 0) {
            unsafe("concurrent deleteIfVersion", tally.describe("deleteIfVersion", "deleters"));
        }
    }

    private interface Attempt<T> {
        boolean attempt(int thread, T read);
    }

    /**
     * One round: every thread prepares (reads), all meet at a barrier, then all write at once.
     * Returns how many writes won.
     */
    private <T> int countWins(ExecutorService pool, Function<Integer, Callable<T>> prepare, Attempt<T> attempt) {
        var barrier = new CyclicBarrier(threads);
        var futures = new ArrayList<Future<Boolean>>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                T read = prepare.apply(thread).call();
                barrier.await(ROUND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return attempt.attempt(thread, read);
            }));
        }
        long deadline = System.nanoTime() + ROUND_TIMEOUT.toNanos();
        int wins = 0;
        for (var future : futures) {
            try {
                if (future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    wins++;
                }
            } catch (TimeoutException e) {
                futures.forEach(f -> f.cancel(true));
                throw new RaceAborted(threads + " concurrent writers got no answer within "
                        + ROUND_TIMEOUT.toSeconds() + " s: the store hangs under contention");
            } catch (ExecutionException e) {
                futures.forEach(f -> f.cancel(true));
                var cause = e.getCause();
                throw new RaceAborted("a concurrent writer failed, so the outcome is unknown: "
                        + (cause == null ? e : cause.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(f -> f.cancel(true));
                throw new RaceAborted("interrupted");
            }
        }
        return wins;
    }

    /** Counts rounds with more than one winner (unsafe) and with none (a store that loses writes). */
    private final class Tally {
        int overWins;
        int noWins;
        int worst = 1;

        void add(int wins) {
            if (wins > 1) {
                overWins++;
                worst = Math.max(worst, wins);
            } else if (wins == 0) {
                noWins++;
            }
        }

        String describe(String call, String who) {
            var parts = new ArrayList<String>();
            if (overWins > 0) {
                parts.add(call + " let " + worst + " of " + threads + " concurrent " + who + " win (more than one"
                        + " winner in " + overWins + " of " + rounds + " rounds)");
            }
            if (noWins > 0) {
                parts.add("no " + call + " won in " + noWins + " of " + rounds + " rounds although exactly one must");
            }
            return String.join("; ", parts);
        }
    }

    private static final class RaceAborted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RaceAborted(String message) {
            super(message);
        }
    }

    // ---- cleanup ---------------------------------------------------------------------------

    private void cleanUp() {
        try {
            List<Versioned> left = List.of();
            for (int attempt = 0; attempt < 3; attempt++) {
                left = store.list(base);
                if (left.isEmpty()) {
                    return;
                }
                for (var record : left) {
                    try {
                        store.deleteIfVersion(record.key(), record.version());
                    } catch (RuntimeException e) {
                        // counted below when the key is still listed
                    }
                }
            }
            left = store.list(base);
            if (!left.isEmpty()) {
                notes.add("could not delete " + left.size() + " scratch key(s) under '" + base
                        + "'; delete them by hand");
            }
        } catch (RuntimeException e) {
            notes.add("cleaning up '" + base + "' failed: " + e.getMessage() + "; delete what is left by hand");
        }
    }

    // ---- helpers ---------------------------------------------------------------------------

    private void unsafe(String probe, String problem) {
        findings.add(new Finding(probe, problem));
    }

    private static Written written(WriteResult result, String what) {
        if (result instanceof Written written) {
            return written;
        }
        throw new RaceAborted(what + " on a fresh scratch key did not write (" + describe(result) + ")");
    }

    private static String describe(WriteResult result) {
        return result instanceof Conflict c ? "Conflict" + c.current().map(v -> " at version " + v.version()).orElse("")
                : result.toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] epoch(long epoch, String holder) {
        return bytes("epoch=" + epoch + ";holder=" + holder);
    }

    private static long epochOf(byte[] value) {
        var text = new String(value, StandardCharsets.UTF_8);
        int end = text.indexOf(';');
        try {
            return Long.parseLong(text.substring("epoch=".length(), end < 0 ? text.length() : end));
        } catch (RuntimeException e) {
            return Long.MIN_VALUE;
        }
    }

}
