package dev.berth.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.store.FileClaimStore;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.CloudException;
import dev.berth.spi.DeleteResult;
import dev.berth.spi.GroupMember;
import dev.berth.spi.InstanceState;
import dev.berth.spi.LifecycleState;
import dev.berth.spi.StoreException;
import dev.berth.spi.Versioned;
import dev.berth.spi.WriteResult;
import dev.berth.spi.Written;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases in a real (file) claim store decide who lives for the static provider. */
class StaticLeaseKeeperTest {
    private static final long TTL = 3_000;

    @TempDir
    Path dir;
    private ClaimStore store;
    private StaticTestTicker ticker;

    @BeforeEach
    void open() {
        store = FileClaimStore.open(dir.resolve("store"));
        ticker = new StaticTestTicker(1_000_000);
    }

    private StaticSettings settings(String instance, List<String> members) {
        return new StaticSettings("lab", instance, "rack-a", "local", members, 3, TTL, dir.resolve("volumes"));
    }

    private static Map<String, LifecycleState> lifecycle(StaticCloudProvider provider) {
        return provider.group().members().stream()
                .collect(Collectors.toMap(GroupMember::instanceId, GroupMember::lifecycleState));
    }

    @Test
    void aRenewedLeaseStaysLive() {
        var keeper = new LeaseKeeper(store, settings("pc-1", List.of()), ticker, "s1");
        long start = ticker.nowMillis();
        keeper.runUntilStopped(() -> ticker.nowMillis() - start > 10 * TTL);
        var observer = new StaticCloudProvider(store, settings("pc-2", List.of()), ticker);
        assertEquals(Map.of("pc-1", InstanceState.RUNNING), observer.instanceStates(List.of("pc-1")));
        assertEquals(Map.of("pc-1", LifecycleState.IN_SERVICE), lifecycle(observer));
        assertTrue(keeper.expiresAtMillis() > ticker.nowMillis());
        assertEquals(3, observer.group().desiredCapacity());
    }

    @Test
    void anExpiredLeaseShowsTerminated() {
        var keeper = new LeaseKeeper(store, settings("pc-1", List.of()), ticker, "s1");
        keeper.acquireOrRenew();
        var observer = new StaticCloudProvider(store, settings("pc-2", List.of("pc-1", "pc-2")), ticker);
        assertEquals(LifecycleState.IN_SERVICE, lifecycle(observer).get("pc-1"));
        ticker.advance(TTL);
        assertEquals(Map.of("pc-1", LifecycleState.TERMINATED, "pc-2", LifecycleState.TERMINATED), lifecycle(observer));
        assertEquals(Map.of("pc-1", InstanceState.TERMINATED), observer.instanceStates(List.of("pc-1", "pc-9")));
        var anyone = new StaticCloudProvider(store, settings("pc-2", List.of()), ticker);
        assertEquals(Map.of("pc-1", LifecycleState.TERMINATED), lifecycle(anyone));
    }

    @Test
    void anInstanceThatIsNotAMemberIsRefusedAndWritesNoLease() {
        var refused = assertThrows(dev.berth.spi.BerthException.class,
                () -> new LeaseKeeper(store, settings("pc-9", List.of("pc-1", "pc-2")), ticker, "s1"));
        assertTrue(refused.getMessage().contains("'pc-9'") && refused.getMessage().contains("[pc-1, pc-2]")
                && refused.getMessage().contains("members"), refused.getMessage());
        assertEquals(List.of(), store.list("clusters/lab/leases/"));
        var member = new LeaseKeeper(store, settings("pc-2", List.of("pc-1", "pc-2")), ticker, "s1");
        member.acquire();
        assertTrue(store.get("clusters/lab/leases/pc-2").isPresent());
        assertEquals(settings("pc-3", List.of()), settings("pc-3", List.of()).requireMember(), "no list: anyone may join");
    }

    @Test
    void releaseRemovesTheLease() {
        var keeper = new LeaseKeeper(store, settings("pc-1", List.of()), ticker, "s1");
        keeper.acquire();
        assertTrue(keeper.release());
        assertEquals(Optional.empty(), store.get("clusters/lab/leases/pc-1"));
        assertFalse(keeper.release());
        var observer = new StaticCloudProvider(store, settings("pc-2", List.of()), ticker);
        assertEquals(Map.of(), observer.instanceStates(List.of("pc-1")));
        assertTrue(observer.group().members().isEmpty());
        var configured = new StaticCloudProvider(store, settings("pc-2", List.of("pc-1")), ticker);
        assertEquals(Map.of("pc-1", LifecycleState.TERMINATED), lifecycle(configured));
    }

    @Test
    void aSecondProcessWithTheSameIdIsRefusedUntilTheFirstLeaseExpires() {
        var first = new LeaseKeeper(store, settings("pc-1", List.of()), ticker, "s1");
        first.acquireOrRenew();
        var second = new LeaseKeeper(store, settings("pc-1", List.of()), ticker, "s2");
        var refused = assertThrows(CloudException.class, second::acquireOrRenew);
        assertEquals(CloudException.Reason.CONFLICT, refused.reason());
        assertTrue(refused.getMessage().contains("clusters/lab/leases/pc-1"), refused.getMessage());
        assertFalse(second.release(), "a foreign session's lease is never deleted");
        long before = ticker.nowMillis();
        second.acquire(); // waits (virtually) for the crashed predecessor's lease to expire, then takes it by CAS
        assertTrue(ticker.nowMillis() - before >= TTL);
        assertThrows(CloudException.class, first::acquireOrRenew, "the old session lost the lease");
    }

    @Test
    void sixteenProcessesWithOneIdGiveExactlyOneLease() throws Exception {
        int n = 16;
        var start = new java.util.concurrent.CountDownLatch(1);
        var winners = new java.util.concurrent.atomic.AtomicInteger();
        var refused = new java.util.concurrent.atomic.AtomicInteger();
        var threads = new java.util.ArrayList<Thread>();
        for (int i = 0; i < n; i++) {
            var keeper = new LeaseKeeper(FileClaimStore.open(dir.resolve("store")), settings("pc-1", List.of()), ticker, "s" + i);
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    keeper.acquireOrRenew();
                    winners.incrementAndGet();
                } catch (CloudException e) {
                    refused.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        start.countDown();
        for (var t : threads) {
            t.join();
        }
        assertEquals(1, winners.get());
        assertEquals(n - 1, refused.get());
    }

    @Test
    void anUnreadableLeaseCountsAliveAndIsNeverOverwritten() {
        var key = "clusters/lab/leases/pc-1";
        assertInstanceOf(Written.class, store.putIfAbsent(key, "not json".getBytes(StandardCharsets.UTF_8)));
        var observer = new StaticCloudProvider(store, settings("pc-2", List.of("pc-1")), ticker);
        assertEquals(Map.of("pc-1", LifecycleState.UNKNOWN), lifecycle(observer));
        assertEquals(Map.of("pc-1", InstanceState.RUNNING), observer.instanceStates(Set.of("pc-1")));
        var keeper = new LeaseKeeper(store, settings("pc-1", List.of()), ticker, "s1");
        var refused = assertThrows(LeaseRecord.CorruptLeaseException.class, keeper::acquireOrRenew);
        assertTrue(refused.getMessage().contains(key), refused.getMessage());
        assertEquals("not json", new String(store.get(key).orElseThrow().value(), StandardCharsets.UTF_8));
    }

    @Test
    void aLeaseThatLapsesWhileTheStoreIsDownStopsTheKeeper() {
        var failing = new FailingStore(store);
        var keeper = new LeaseKeeper(failing, settings("pc-1", List.of()), ticker, "s1");
        keeper.acquire();
        failing.down = true;
        var lapsed = assertThrows(LeaseKeeper.LeaseLostException.class, () -> keeper.runUntilStopped(() -> false));
        assertTrue(lapsed.getMessage().contains("workload must stop"), lapsed.getMessage());
        assertTrue(ticker.nowMillis() >= keeper.expiresAtMillis());
    }

    /** The real store, with an outage switch (a fault injector, not a mock: every answer is the store's). */
    private static final class FailingStore implements ClaimStore {
        private final ClaimStore real;
        volatile boolean down;

        FailingStore(ClaimStore real) {
            this.real = real;
        }

        private void check() {
            if (down) {
                throw new StoreException("store unreachable (test outage)", true);
            }
        }

        @Override
        public Optional<Versioned> get(String key) {
            check();
            return real.get(key);
        }

        @Override
        public List<Versioned> list(String prefix) {
            check();
            return real.list(prefix);
        }

        @Override
        public WriteResult putIfAbsent(String key, byte[] value) {
            check();
            return real.putIfAbsent(key, value);
        }

        @Override
        public WriteResult compareAndSet(String key, String expectedVersion, byte[] value) {
            check();
            return real.compareAndSet(key, expectedVersion, value);
        }

        @Override
        public DeleteResult deleteIfVersion(String key, String expectedVersion) {
            check();
            return real.deleteIfVersion(key, expectedVersion);
        }

        @Override
        public String describe() {
            return real.describe();
        }
    }
}
