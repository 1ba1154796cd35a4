package dev.berth.store.etcd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.ClaimStore;
import dev.berth.spi.PluginConfig;
import dev.berth.storecheck.history.HistoryRecorder;
import dev.berth.storecheck.history.LinearizabilityChecker;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trial: 12 clients (4 etcd clients, each naming all three members) on a 3-member cluster whose
 * members are killed with SIGKILL and restarted, or paused with SIGSTOP and continued, the leader
 * in every other fault, while the clients run. The history must be linearizable.
 */
class EtcdClusterTrialTest {
    private static final int CLIENTS = 12;
    /**
     * The clients run until the injector has made this many faults (one every two or three seconds), so that a
     * fast store does not finish first (20,000 operations once took 12 s and saw three faults), within
     * {@link #MAX_OPERATIONS} and 90 s.
     */
    private static final int FAULTS = 5;
    private static final int MAX_OPERATIONS = 120_000;

    @TempDir
    Path dir;

    @Test
    void membersKilledPausedAndRestartedLeaderIncludedLeaveALinearizableHistory() throws Exception {
        long started = System.nanoTime();
        try (var cluster = EtcdTrialCluster.start(dir)) {
            var uri = URI.create("etcd://" + cluster.endpoints() + "/berth-trial");
            var config = new PluginConfig("store", Map.of("timeoutMillis", "2000", "connectTimeoutMillis", "1000"));
            var stores = new ArrayList<ClaimStore>();
            for (int s = 0; s < 4; s++) {
                stores.add(new EtcdClaimStoreFactory().open(uri, config));
            }
            var stop = new AtomicBoolean();
            var faults = java.util.Collections.synchronizedList(new ArrayList<String>());
            var injector = Thread.ofPlatform().daemon().start(() -> inject(cluster, stop, faults));
            var keys = IntStream.range(0, 4).mapToObj(k -> "k" + k).toList();
            var history = HistoryRecorder.runUntil(stores, keys, CLIENTS, () -> faults.size() >= FAULTS, MAX_OPERATIONS,
                    Duration.ofSeconds(90));
            stop.set(true);
            injector.join(TimeUnit.SECONDS.toMillis(20));
            stores.forEach(ClaimStore::close);
            var verdict = LinearizabilityChecker.check(history);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            List<String> made;
            synchronized (faults) {   // the injector may still be at work if it did not stop in time
                made = List.copyOf(faults);
            }
            System.out.println("[trial etcd 3 members] faults: " + made.size() + " " + made + "; " + verdict.summary()
                    + "; trial " + seconds + " s");
            assertTrue(verdict.linearizable(), verdict.summary());
            assertTrue(made.size() >= 4, "only " + made.size() + " faults injected: " + made);
            assertTrue(made.stream().anyMatch(f -> f.contains("leader")), "the leader was never hit: " + made);
        }
    }

    /** Kill-and-restart or pause-and-continue one member at a time, the leader every other time. */
    private static void inject(EtcdTrialCluster cluster, AtomicBoolean stop, List<String> faults) {
        var random = new SplittableRandom(System.nanoTime());
        try {
            sleep(stop, 1_000);
            for (int round = 0; !stop.get(); round++) {
                int member = round % 2 == 0 ? cluster.leader().orElse(random.nextInt(3)) : random.nextInt(3);
                String who = "m" + member + (round % 2 == 0 ? " (leader)" : "");
                if (random.nextBoolean()) {
                    cluster.kill(member);
                    sleep(stop, 800 + random.nextInt(1_200));
                    cluster.restart(member);
                    faults.add("kill -9 " + who);
                } else {
                    cluster.pause(member);
                    sleep(stop, 800 + random.nextInt(1_200));
                    cluster.resume(member);
                    faults.add("SIGSTOP " + who);
                }
                cluster.awaitLeader(Duration.ofSeconds(20));
                sleep(stop, 1_000 + random.nextInt(1_000));
            }
        } catch (Exception e) {
            faults.add("fault injection failed: " + e);
        }
    }

    private static void sleep(AtomicBoolean stop, long millis) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < until && !stop.get()) {
            Thread.sleep(20);
        }
    }
}
