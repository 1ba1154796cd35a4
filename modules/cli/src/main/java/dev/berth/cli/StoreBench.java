package dev.berth.cli;

import dev.berth.spi.BerthException;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.Deleted;
import dev.berth.spi.Listed;
import dev.berth.spi.StoreStats;
import dev.berth.spi.Written;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * Claim throughput and latency of a store: each claim is what berth does to take a slot, a
 * listing of the cluster's slots with their versions and their writers' hints ({@link ClaimStore#listHinted}),
 * a read of the one slot it takes at the version listed (none when the listing carried its value),
 * then a compare-and-set of that slot to the next epoch, with its hint (a lost race lists again and tries again, and counts in that claim's latency). Runs on a
 * scratch prefix and deletes what it wrote. The backend requests are the store's own count
 * ({@link ClaimStore#stats}), taken over the claims alone (not the set-up nor the clean-up).
 */
final class StoreBench {

    /** How a claim reads the slots before its compare-and-set. */
    enum Read {
        /** {@link ClaimStore#listHinted}, then {@link ClaimStore#getVersion} of the one slot it takes: what {@code berth claim} does. */
        HINTED,
        /** {@link ClaimStore#listVersions}, then {@link ClaimStore#getVersion} of the one slot it takes. */
        VERSIONS,
        /** {@link ClaimStore#list}: every slot's value, as a full read of the slot table does. */
        LIST
    }

    record Result(String store, int claims, int threads, int slots, double seconds, long conflicts, long[] latenciesNanos,
                  StoreStats requests) {
        double claimsPerSecond() {
            return claims / seconds;
        }

        double percentileMillis(double p) {
            var sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
            return sorted[Math.max(0, index)] / 1e6;
        }

        /** Backend requests per claim; NaN when the store does not count its requests. */
        double requestsPerClaim() {
            return requests.equals(StoreStats.NONE) ? Double.NaN : (double) requests.total() / claims;
        }

        String line() {
            return String.format(Locale.ROOT, "%-60s %6d claims  %3d threads  %5d slots  %8.1f claims/s  p50 %7.2f ms"
                            + "  p99 %7.2f ms  %5d lost races  %s", store, claims, threads, slots, claimsPerSecond(),
                    percentileMillis(0.50), percentileMillis(0.99), conflicts,
                    Double.isNaN(requestsPerClaim()) ? "requests not counted by this store"
                            : String.format(Locale.ROOT, "%.1f requests/claim", requestsPerClaim()));
        }

        /** One JSON object; {@code requestsPerClaim} and the request counts are null when the store does not count. */
        String json(io.avaje.jsonb.Jsonb jsonb) {
            boolean counted = !Double.isNaN(requestsPerClaim());
            return String.format(Locale.ROOT, "{\"store\":%s,\"claims\":%d,\"threads\":%d,\"slots\":%d,\"seconds\":%.3f,"
                            + "\"claimsPerSecond\":%.1f,\"p50Millis\":%.2f,\"p99Millis\":%.2f,\"lostRaces\":%d,"
                            + "\"requestsPerClaim\":%s,\"requests\":%s}", jsonb.type(String.class).toJson(store), claims, threads, slots, seconds,
                    claimsPerSecond(), percentileMillis(0.50), percentileMillis(0.99), conflicts,
                    counted ? String.format(Locale.ROOT, "%.2f", requestsPerClaim()) : "null",
                    counted ? String.format(Locale.ROOT, "{\"reads\":%d,\"writes\":%d,\"lists\":%d,\"deletes\":%d,\"total\":%d}",
                            requests.reads(), requests.writes(), requests.lists(), requests.deletes(), requests.total())
                            : "null");
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
        return run(store, prefix, claims, threads, slots, Read.HINTED);
    }

    static Result run(ClaimStore store, String prefix, int claims, int threads, int slots, Read read) throws Exception {
        return run(List.of(store), prefix, claims, threads, slots, read);
    }

    /**
     * Claimer {@code t} uses {@code stores[t % size]}: one store per claimer is what a fleet is (each
     * node its own process, knowing only what it read and wrote itself).
     */
    static Result run(List<? extends ClaimStore> stores, String prefix, int claims, int threads, int slots, Read read)
            throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            try {
                return measure(pool, stores, prefix, claims, threads, slots, read);
            } finally {
                cleanUp(pool, stores.getFirst(), prefix, threads);
            }
        }
    }

    private static StoreStats stats(List<? extends ClaimStore> stores) {
        var sum = StoreStats.NONE;
        for (var store : stores) {
            var s = store.stats();
            sum = new StoreStats(sum.reads() + s.reads(), sum.writes() + s.writes(), sum.lists() + s.lists(),
                    sum.deletes() + s.deletes());
        }
        return sum;
    }

    private static Result measure(ExecutorService pool, List<? extends ClaimStore> stores, String prefix, int claims,
                                  int threads, int slots, Read read) throws Exception {
        var store = stores.getFirst();
        var created = new AtomicInteger();
        inParallel(pool, threads, t -> {
            int s;
            while ((s = created.getAndIncrement()) < slots) {
                store.putIfAbsent(prefix + s, bytes(0), "0");
            }
        });
        int bound = attemptBound(threads);
        var latencies = new long[claims];
        var next = new AtomicInteger();
        var conflicts = new AtomicLong();
        var before = stats(stores);
        long start = System.nanoTime();
        inParallel(pool, threads, t -> {
            int i;
            while ((i = next.getAndIncrement()) < claims) {
                long begin = System.nanoTime();
                claim(stores.get(t % stores.size()), prefix, prefix + (i % slots), bound, conflicts, read);
                latencies[i] = System.nanoTime() - begin;
            }
        }, () -> next.set(claims));
        double seconds = (System.nanoTime() - start) / 1e9;
        var requests = stats(stores).minus(before);
        return new Result(store.describe(), claims, threads, slots, seconds, conflicts.get(), latencies, requests);
    }

    /** One claim of {@code key}: read the slots, compare-and-set that one to the next epoch. */
    private static void claim(ClaimStore store, String prefix, String key, int bound, AtomicLong conflicts, Read read) {
        for (int attempt = 1; ; attempt++) {
            if (attempt > bound) {
                throw new BerthException("store bench: " + store.describe() + " let no compare-and-set"
                        + " of '" + key + "' through in " + bound + " attempts, each on the version just"
                        + " read: its conditional writes do not work as berth needs; run 'berth store"
                        + " check' on it");
            }
            var current = switch (read) {
                case LIST -> store.list(prefix).stream().filter(v -> v.key().equals(key)).findFirst()
                        .orElseThrow(() -> vanished(store, prefix, key));
                case VERSIONS -> store.getVersion(key, store.listVersions(prefix).stream().filter(l -> l.key().equals(key))
                        .map(Listed::version).findFirst().orElseThrow(() -> vanished(store, prefix, key))).orElse(null);
                case HINTED -> {
                    var listed = store.listHinted(prefix, v -> new String(v, StandardCharsets.US_ASCII)).stream()
                            .filter(h -> h.key().equals(key)).findFirst().orElseThrow(() -> vanished(store, prefix, key));
                    yield listed.value().or(() -> store.getVersion(key, listed.version())).orElse(null);   // the hint is not needed here
                }
            };
            if (current != null) {
                long epoch = Long.parseLong(new String(current.value(), StandardCharsets.US_ASCII));
                if (store.compareAndSet(key, current.version(), bytes(epoch + 1), Long.toString(epoch + 1)) instanceof Written) {
                    return;
                }
            }
            conflicts.incrementAndGet(); // the slot changed after it was read: a lost race
        }
    }

    private static BerthException vanished(ClaimStore store, String prefix, String key) {
        return new BerthException("store bench: slot '" + key + "' vanished from " + store.describe()
                + " while the bench ran; is another tool deleting under '" + prefix + "'?");
    }

    private static void cleanUp(ExecutorService pool, ClaimStore store, String prefix, int threads) throws Exception {
        List<Listed> left = store.listVersions(prefix);
        var next = new AtomicInteger();
        inParallel(pool, threads, t -> {
            int i;
            while ((i = next.getAndIncrement()) < left.size()) {
                if (!(store.deleteIfVersion(left.get(i).key(), left.get(i).version()) instanceof Deleted)) {
                    return;
                }
            }
        });
    }

    private static void inParallel(ExecutorService pool, int threads, IntConsumer work) throws Exception {
        inParallel(pool, threads, work, () -> {
        });
    }

    /** Runs {@code work} on {@code threads} threads; on the first failure calls {@code stopOthers} and throws it. */
    private static void inParallel(ExecutorService pool, int threads, IntConsumer work, Runnable stopOthers) throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit((Callable<Void>) () -> {
                work.accept(thread);
                return null;
            }));
        }
        Exception failure = null;
        for (var f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                stopOthers.run();
                if (failure == null) {
                    failure = e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static byte[] bytes(long epoch) {
        return Long.toString(epoch).getBytes(StandardCharsets.US_ASCII);
    }
}
