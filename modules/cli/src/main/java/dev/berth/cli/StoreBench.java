package dev.berth.cli;

import dev.berth.spi.BerthException;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.Conflict;
import dev.berth.spi.Deleted;
import dev.berth.spi.Written;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Claim throughput and latency of a store: each claim is what berth does to take a slot, a list
 * of the cluster's slots, then a compare-and-set of one slot to the next epoch (a lost race
 * re-reads and tries again, and counts in that claim's latency). Runs on a scratch prefix and
 * deletes what it wrote.
 */
final class StoreBench {

    record Result(String store, int claims, int threads, int slots, double seconds, long conflicts, long[] latenciesNanos) {
        double claimsPerSecond() {
            return claims / seconds;
        }

        double percentileMillis(double p) {
            var sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
            return sorted[Math.max(0, index)] / 1e6;
        }

        String line() {
            return String.format("%-60s %6d claims  %3d threads  %8.1f claims/s  p50 %7.2f ms  p99 %7.2f ms  %5d lost races",
                    store, claims, threads, claimsPerSecond(), percentileMillis(0.50), percentileMillis(0.99), conflicts);
        }
    }

    /**
     * Lost races one claim may have in a row: each round of a race has one winner, so even all
     * threads on one slot stay far below this on a store whose compare-and-set works.
     */
    static int attemptBound(int threads) {
        return 100 + 50 * threads;
    }

    static Result run(ClaimStore store, String prefix, int claims, int threads, int slots) throws Exception {
        try {
            return measure(store, prefix, claims, threads, slots);
        } finally {
            cleanUp(store, prefix);
        }
    }

    private static Result measure(ClaimStore store, String prefix, int claims, int threads, int slots) throws Exception {
        for (int s = 0; s < slots; s++) {
            store.putIfAbsent(prefix + s, bytes(0));
        }
        int bound = attemptBound(threads);
        var latencies = new long[claims];
        var next = new AtomicInteger();
        var conflicts = new java.util.concurrent.atomic.AtomicLong();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < claims) {
                        long begin = System.nanoTime();
                        var key = prefix + (i % slots);
                        for (int attempt = 1; ; attempt++) {
                            if (attempt > bound) {
                                throw new BerthException("store bench: " + store.describe() + " let no compare-and-set"
                                        + " of '" + key + "' through in " + bound + " attempts, each on the version just"
                                        + " read: its conditional writes do not work as berth needs; run 'berth store"
                                        + " check' on it");
                            }
                            var listed = store.list(prefix);
                            var current = listed.stream().filter(v -> v.key().equals(key)).findFirst().orElseThrow();
                            long epoch = Long.parseLong(new String(current.value(), StandardCharsets.US_ASCII));
                            var result = store.compareAndSet(key, current.version(), bytes(epoch + 1));
                            if (result instanceof Written) {
                                break;
                            }
                            if (result instanceof Conflict) {
                                conflicts.incrementAndGet();
                            }
                        }
                        latencies[i] = System.nanoTime() - begin;
                    }
                    return null;
                }));
            }
            for (var f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    next.set(claims); // the other claimers stop at their next claim
                    if (e.getCause() instanceof BerthException b) {
                        throw b;
                    }
                    throw e;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(store.describe(), claims, threads, slots, seconds, conflicts.get(), latencies);
    }

    private static void cleanUp(ClaimStore store, String prefix) {
        for (var v : store.list(prefix)) {
            if (!(store.deleteIfVersion(v.key(), v.version()) instanceof Deleted)) {
                break;
            }
        }
    }

    private static byte[] bytes(long epoch) {
        return Long.toString(epoch).getBytes(StandardCharsets.US_ASCII);
    }
}
