package dev.berth.store.tck;

import dev.berth.spi.ClaimStore;
import dev.berth.spi.Conflict;
import dev.berth.spi.Versioned;
import dev.berth.spi.WriteResult;
import dev.berth.spi.Written;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * N claimers fight over one slot key for R rounds, the way berth nodes fight over a slot.
 *
 * <p>Round 0: every claimer calls {@code putIfAbsent(key, "epoch=1;holder=<me>")}. Every later
 * round has a quiet read phase (all claimers {@code get} the key, nobody writes) and then a
 * write phase (all claimers {@code compareAndSet} the version they read to the next epoch).
 * Barriers separate the phases, so every claimer of a round decides on the same version:
 * on a linearizable store exactly one wins each round. Checked: exactly one winner per
 * round, every epoch 1..R won exactly once, the epoch read at each round equals the wins so
 * far (no lost update), and the final record is the last winner's.
 */
public final class LinearizabilityRace {

    /** What a race saw. {@link #violations()} is empty when the store behaved. */
    public record Result(String key, int threads, int rounds, int wins, long finalEpoch, List<String> violations, Duration elapsed) {

        public Result {
            violations = List.copyOf(violations);
        }

        public boolean passed() {
            return violations.isEmpty();
        }

        public String summary() {
            var text = new StringBuilder();
            text.append(threads).append(" claimers x ").append(rounds).append(" rounds on '").append(key).append("': ")
                    .append(wins).append(" wins, final epoch ").append(finalEpoch).append(", ")
                    .append(elapsed.toMillis()).append(" ms");
            if (passed()) {
                text.append(", linearizable");
            } else {
                text.append(", ").append(violations.size()).append(" violation(s):");
                violations.stream().limit(20).forEach(v -> text.append("\n  - ").append(v));
                if (violations.size() > 20) {
                    text.append("\n  ... and ").append(violations.size() - 20).append(" more");
                }
            }
            return text.toString();
        }
    }

    private final ClaimStore store;
    private final String key;
    private int threads = 16;
    private int rounds = 200;
    private Duration phaseTimeout = Duration.ofSeconds(60);

    private LinearizabilityRace(ClaimStore store, String key) {
        this.store = Objects.requireNonNull(store, "store");
        this.key = Objects.requireNonNull(key, "key");
    }

    /** A race on one key that must not exist yet. Defaults: 16 claimers x 200 rounds. */
    public static LinearizabilityRace on(ClaimStore store, String key) {
        return new LinearizabilityRace(store, key);
    }

    public LinearizabilityRace threads(int threads) {
        if (threads < 2) {
            throw new IllegalArgumentException("a race needs at least 2 claimers, got " + threads);
        }
        this.threads = threads;
        return this;
    }

    public LinearizabilityRace rounds(int rounds) {
        if (rounds < 1) {
            throw new IllegalArgumentException("a race needs at least 1 round, got " + rounds);
        }
        this.rounds = rounds;
        return this;
    }

    /** The longest any claimer may wait for the others at one barrier before the race gives up. */
    public LinearizabilityRace phaseTimeout(Duration timeout) {
        this.phaseTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /** Formats a slot value: {@code epoch=<n>;holder=<name>}. */
    public static byte[] slotValue(long epoch, String holder) {
        return ("epoch=" + epoch + ";holder=" + holder).getBytes(StandardCharsets.UTF_8);
    }

    /** The epoch of a slot value written by {@link #slotValue}; empty when it is not one. */
    public static Optional<Long> epochOf(byte[] value) {
        var text = new String(value, StandardCharsets.UTF_8);
        if (!text.startsWith("epoch=")) {
            return Optional.empty();
        }
        int end = text.indexOf(";holder=");
        if (end < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(text.substring("epoch=".length(), end)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The holder of a slot value written by {@link #slotValue}; empty when it is not one. */
    public static Optional<String> holderOf(byte[] value) {
        var text = new String(value, StandardCharsets.UTF_8);
        int at = text.indexOf(";holder=");
        return at < 0 ? Optional.empty() : Optional.of(text.substring(at + ";holder=".length()));
    }

    public Result run() {
        long started = System.nanoTime();
        var violations = Collections.synchronizedList(new ArrayList<String>());
        var aborted = new AtomicBoolean();
        var barrier = new CyclicBarrier(threads);
        // per round: how many won, and who
        var winsPerRound = new AtomicInteger[rounds];
        var winnerOfRound = new AtomicReferenceArray<String>(rounds);
        var readVersions = new ConcurrentHashMap<Integer, Map<String, Boolean>>();
        var readEpochs = new ConcurrentHashMap<Integer, Map<Long, Boolean>>();
        for (int r = 0; r < rounds; r++) {
            winsPerRound[r] = new AtomicInteger();
        }
        var epochWins = new ConcurrentHashMap<Long, AtomicInteger>();

        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            var thread = new Thread(runnable);
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int t = 0; t < threads; t++) {
                String holder = "claimer-" + t;
                pool.execute(() -> {
                    try {
                        for (int round = 0; round < rounds && !aborted.get(); round++) {
                            if (round == 0) {
                                await(barrier);
                                WriteResult result = store.putIfAbsent(key, slotValue(1, holder));
                                if (result instanceof Written) {
                                    winsPerRound[0].incrementAndGet();
                                    winnerOfRound.set(0, holder);
                                    epochWins.computeIfAbsent(1L, e -> new AtomicInteger()).incrementAndGet();
                                }
                                continue;
                            }
                            await(barrier); // everyone has finished writing the previous round
                            Optional<Versioned> read = store.get(key);
                            await(barrier); // quiet read phase over
                            if (read.isEmpty()) {
                                violations.add("round " + round + ": " + holder + " read no value for '" + key + "'");
                                continue;
                            }
                            var current = read.get();
                            readVersions.computeIfAbsent(round, r -> new ConcurrentHashMap<>()).put(current.version(), true);
                            Optional<Long> epoch = epochOf(current.value());
                            if (epoch.isEmpty()) {
                                violations.add("round " + round + ": " + holder + " read a value that is not a slot value: '"
                                        + new String(current.value(), StandardCharsets.UTF_8) + "'");
                                continue;
                            }
                            readEpochs.computeIfAbsent(round, r -> new ConcurrentHashMap<>()).put(epoch.get(), true);
                            long next = epoch.get() + 1;
                            WriteResult result = store.compareAndSet(key, current.version(), slotValue(next, holder));
                            switch (result) {
                                case Written written -> {
                                    winsPerRound[round].incrementAndGet();
                                    winnerOfRound.set(round, holder);
                                    epochWins.computeIfAbsent(next, e -> new AtomicInteger()).incrementAndGet();
                                    if (written.version().equals(current.version())) {
                                        violations.add("round " + round + ": the version did not change on a write ("
                                                + written.version() + ")");
                                    }
                                }
                                case Conflict conflict -> {
                                    // lost this round: the expected outcome for all but one
                                }
                            }
                        }
                    } catch (BrokenBarrierException | TimeoutException e) {
                        if (aborted.compareAndSet(false, true)) {
                            violations.add("a claimer waited more than " + phaseTimeout.toSeconds()
                                    + " s for the others at a phase barrier: the store is hanging or too slow");
                        }
                        barrier.reset();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        aborted.set(true);
                        barrier.reset();
                    } catch (RuntimeException e) {
                        aborted.set(true);
                        violations.add(holder + " failed: " + e);
                        barrier.reset();
                    }
                });
            }
            pool.shutdown();
            long limit = phaseTimeout.toMillis() * (3L * rounds + 2);
            if (!pool.awaitTermination(limit, TimeUnit.MILLISECONDS)) {
                violations.add("the race did not finish within " + limit + " ms");
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            violations.add("interrupted while waiting for the race");
            pool.shutdownNow();
        }

        int wins = 0;
        for (int r = 0; r < rounds; r++) {
            int w = winsPerRound[r].get();
            wins += w;
            if (!aborted.get() && w != 1) {
                violations.add("round " + r + ": " + w + " of " + threads + " claimers won (exactly one must)");
            }
            var versions = readVersions.get(r);
            if (versions != null && versions.size() > 1) {
                violations.add("round " + r + ": claimers read " + versions.size()
                        + " different versions in one quiet read phase: " + versions.keySet());
            }
            var epochs = readEpochs.get(r);
            if (epochs != null) {
                long expected = sumUpTo(winsPerRound, r);
                for (long seen : epochs.keySet()) {
                    if (seen != expected) {
                        violations.add("round " + r + ": read epoch " + seen + " after " + expected
                                + " wins: an update was lost or a read was stale");
                    }
                }
            }
        }
        for (var entry : epochWins.entrySet()) {
            if (entry.getValue().get() > 1) {
                violations.add("epoch " + entry.getKey() + " was won " + entry.getValue().get() + " times");
            }
        }
        long finalEpoch = -1;
        try {
            var last = store.get(key);
            if (last.isEmpty()) {
                violations.add("after the race '" + key + "' has no value");
            } else {
                finalEpoch = epochOf(last.get().value()).orElse(-1L);
                if (finalEpoch != wins) {
                    violations.add("final epoch " + finalEpoch + " but " + wins + " wins: lost update");
                }
                if (!aborted.get() && rounds > 0) {
                    String lastWinner = winnerOfRound.get(rounds - 1);
                    String holder = holderOf(last.get().value()).orElse("?");
                    if (lastWinner != null && !lastWinner.equals(holder)) {
                        violations.add("final holder is " + holder + " but " + lastWinner + " won the last round");
                    }
                }
            }
        } catch (RuntimeException e) {
            violations.add("reading '" + key + "' after the race failed: " + e);
        }
        return new Result(key, threads, rounds, wins, finalEpoch, new ArrayList<>(violations),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static long sumUpTo(AtomicInteger[] winsPerRound, int roundExclusive) {
        long sum = 0;
        for (int r = 0; r < roundExclusive; r++) {
            sum += winsPerRound[r].get();
        }
        return sum;
    }

    private void await(CyclicBarrier barrier) throws InterruptedException, BrokenBarrierException, TimeoutException {
        barrier.await(phaseTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
