package dev.berth.store.etcd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.PluginConfig;
import dev.berth.spi.StoreException;
import dev.berth.spi.StoreStats;
import dev.berth.spi.Written;
import dev.berth.store.tck.TestServers;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Several endpoints: a member that is down or hangs costs a bounded delay, never the call. */
class EtcdFailoverTest {
    private static final PluginConfig BOUNDS = new PluginConfig("store",
            Map.of("timeoutMillis", "2000", "connectTimeoutMillis", "500"));

    private static String live() {
        var endpoint = URI.create(TestServers.require(TestServers.ETCD));
        return endpoint.getHost() + ":" + endpoint.getPort();
    }

    @Test
    void aDownMemberIsSkippedForReadsAndWrites() throws Exception {
        int dead;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = socket.getLocalPort();
        }
        var uri = URI.create("etcd://127.0.0.1:" + dead + "," + live() + "/failover-" + UUID.randomUUID());
        try (var store = new EtcdClaimStoreFactory().open(uri, BOUNDS)) {
            long started = System.nanoTime();
            assertInstanceOf(Written.class, store.putIfAbsent("k", new byte[] {7}));
            assertArrayEquals(new byte[] {7}, store.get("k").orElseThrow().value());
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis < 2000, "a refused connection must cost little, took " + millis + " ms");
            var deleted = store.deleteIfVersion("k", store.list("").getFirst().version());
            assertInstanceOf(dev.berth.spi.Deleted.class, deleted);
            // every HTTP request counts, the one refused by the down member too
            assertEquals(new StoreStats(1, 2, 1, 1), store.stats());
        }
    }

    @Test
    void aHangingMemberCostsAReadPartOfItsBoundAndAWriteARetryableErrorThenTheLiveMemberIsUsed() throws Exception {
        // accepts connections (the kernel's backlog) and never answers: a paused or partitioned member
        try (var hanging = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var uri = URI.create("etcd://127.0.0.1:" + hanging.getLocalPort() + "," + live() + "/failover-"
                    + UUID.randomUUID());
            try (var store = new EtcdClaimStoreFactory().open(uri, BOUNDS)) {
                long started = System.nanoTime();
                assertTrue(store.get("missing").isEmpty());
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertTrue(millis < 2000, "the read must fail over within its bound, took " + millis + " ms");
                // the live member answered last: it is asked first now
                assertInstanceOf(Written.class, store.putIfAbsent("k", new byte[] {1}));
            }
            try (var store = new EtcdClaimStoreFactory().open(uri, BOUNDS)) {
                // a write sent to a member that does not answer may have happened: retryable, never resent elsewhere
                var e = assertThrows(StoreException.class, () -> store.putIfAbsent("k2", new byte[] {2}));
                assertTrue(e.retryable(), e.getMessage());
                assertTrue(e.getMessage().contains("127.0.0.1:" + hanging.getLocalPort()) && e.getMessage().contains("k2"),
                        e.getMessage());
                assertInstanceOf(Written.class, store.putIfAbsent("k2", new byte[] {2}));
            }
        }
    }
}
