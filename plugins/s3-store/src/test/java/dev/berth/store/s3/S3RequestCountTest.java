package dev.berth.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.StoreStats;
import dev.berth.spi.Written;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What reading the slot table costs in S3 requests, as the store counts them: the cost of a
 * claim must not grow with a GET per slot.
 */
class S3RequestCountTest {
    private static final int KEYS = 40;

    private static <T> StoreStats cost(S3ClaimStore store, Supplier<T> call) {
        var before = store.stats();
        call.get();
        return store.stats().minus(before);
    }

    @ParameterizedTest
    @EnumSource(S3TestServers.class)
    void listingVersionsIsOneListPageAndReadingOneVersionIsOneGet(S3TestServers server) {
        String prefix = "count-" + UUID.randomUUID().toString().substring(0, 8);
        try (var store = server.open(server.config(), prefix)) {
            for (int k = 0; k < KEYS; k++) {
                store.putIfAbsent("slots/" + k, ("record " + k).getBytes(StandardCharsets.UTF_8));
            }
            try (var fresh = server.open(server.config(), prefix)) {
                var listed = fresh.listVersions("slots/");
                assertEquals(KEYS, listed.size());
                assertEquals(new StoreStats(0, 0, 1, 0), cost(fresh, () -> fresh.listVersions("slots/")),
                        "listing " + KEYS + " keys' versions is one LIST page and no GET");
                assertEquals(new StoreStats(1, 0, 0, 0), cost(fresh, () -> fresh.getVersion("slots/7", listed.get(7).version())),
                        "reading one key at a listed version is one GET");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(S3TestServers.class)
    void aFullListingGetsOnlyTheKeysThatChangedSinceThisStoreLastReadThem(S3TestServers server) {
        String prefix = "count-" + UUID.randomUUID().toString().substring(0, 8);
        try (var store = server.open(server.config(), prefix)) {
            for (int k = 0; k < KEYS; k++) {
                store.putIfAbsent("slots/" + k, ("record " + k).getBytes(StandardCharsets.UTF_8));
            }
            try (var other = server.open(server.config(), prefix)) {
                assertEquals(new StoreStats(KEYS, 0, 1, 0), cost(other, () -> other.list("slots/")),
                        "a store that never read the keys reads each once");
                var current = other.get("slots/3").orElseThrow();
                assertTrue(store.compareAndSet("slots/3", current.version(), "changed".getBytes(StandardCharsets.UTF_8))
                        instanceof Written);
                var list = new Object() {
                    java.util.List<dev.berth.spi.Versioned> result;
                };
                assertEquals(new StoreStats(1, 0, 1, 0), cost(other, () -> list.result = other.list("slots/")),
                        "after one key changed, a listing is one LIST page and one GET");
                assertEquals("changed", new String(list.result.get(list.result.stream().map(v -> v.key()).toList()
                        .indexOf("slots/3")).value(), StandardCharsets.UTF_8));
            }
        }
    }
}
