package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.store.FileClaimStore;
import dev.berth.spi.BerthException;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.Conflict;
import dev.berth.spi.DeleteResult;
import dev.berth.spi.StoreStats;
import dev.berth.spi.Versioned;
import dev.berth.spi.WriteResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreBenchTest {
    private static final io.avaje.jsonb.Jsonb JSONB = io.avaje.jsonb.Jsonb.builder().build();

    /** A real file store whose compare-and-set never succeeds, as a store with broken conditional writes. */
    private record NeverSwaps(ClaimStore store) implements ClaimStore {
        @Override
        public Optional<Versioned> get(String key) {
            return store.get(key);
        }

        @Override
        public List<Versioned> list(String prefix) {
            return store.list(prefix);
        }

        @Override
        public WriteResult putIfAbsent(String key, byte[] value) {
            return store.putIfAbsent(key, value);
        }

        @Override
        public WriteResult compareAndSet(String key, String expectedVersion, byte[] value) {
            return Conflict.unknown();
        }

        @Override
        public DeleteResult deleteIfVersion(String key, String expectedVersion) {
            return store.deleteIfVersion(key, expectedVersion);
        }

        @Override
        public String describe() {
            return "never-swaps " + store.describe();
        }
    }

    /** A real file store that counts its calls as backend requests, as a plugin that counts does. */
    private static final class Counting implements ClaimStore {
        private final ClaimStore store;
        private final java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong writes = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong lists = new java.util.concurrent.atomic.AtomicLong();

        Counting(ClaimStore store) {
            this.store = store;
        }

        @Override
        public Optional<Versioned> get(String key) {
            reads.incrementAndGet();
            return store.get(key);
        }

        @Override
        public List<Versioned> list(String prefix) {
            lists.incrementAndGet();
            return store.list(prefix);
        }

        @Override
        public WriteResult putIfAbsent(String key, byte[] value) {
            writes.incrementAndGet();
            return store.putIfAbsent(key, value);
        }

        @Override
        public WriteResult compareAndSet(String key, String expectedVersion, byte[] value) {
            writes.incrementAndGet();
            return store.compareAndSet(key, expectedVersion, value);
        }

        @Override
        public DeleteResult deleteIfVersion(String key, String expectedVersion) {
            writes.incrementAndGet();
            return store.deleteIfVersion(key, expectedVersion);
        }

        @Override
        public StoreStats stats() {
            return new StoreStats(reads.get(), writes.get(), lists.get(), 0);
        }

        @Override
        public String describe() {
            return "counting \"" + store.describe() + "\"";
        }
    }

    @Test
    void jsonGivesTheFiguresAndTheRequestsPerClaimOfTheClaimsAlone(@TempDir Path dir) throws Exception {
        try (var file = FileClaimStore.open(dir.resolve("store"))) {
            var json = StoreBench.run(new Counting(file), "bench/", 10, 1, 3).json(JSONB);
            // one thread, no races: per claim a list (the default listHinted lists the values, so the
            // slot taken needs no read) and a compare-and-set; the 3 creates and the clean-up are not counted
            assertTrue(json.startsWith("{\"store\":\"counting \\\"") && json.endsWith("}"), json);
            for (var field : List.of("\"claims\":10,", "\"lostRaces\":0,", "\"requestsPerClaim\":2.00,",
                    "\"requests\":{\"reads\":0,\"writes\":10,\"lists\":10,\"deletes\":0,\"total\":20}")) {
                assertTrue(json.contains(field), field + " in " + json);
            }
            for (var field : List.of("\"claimsPerSecond\":", "\"p50Millis\":", "\"p99Millis\":", "\"threads\":1,", "\"slots\":3,")) {
                assertTrue(json.contains(field), field + " in " + json);
            }
        }
    }

    @Test
    void listingVersionsCountsAListAndAGetPerClaim(@TempDir Path dir) throws Exception {
        try (var file = FileClaimStore.open(dir.resolve("store"))) {
            var json = StoreBench.run(new Counting(file), "bench/", 10, 1, 3, StoreBench.Read.VERSIONS).json(JSONB);
            // the default listVersions lists, the default getVersion reads the slot taken
            assertTrue(json.contains("\"requests\":{\"reads\":10,\"writes\":10,\"lists\":10,\"deletes\":0,\"total\":30}"), json);
        }
    }

    @Test
    void readingTheWholeTableCountsAListPerClaimAndNoGet(@TempDir Path dir) throws Exception {
        try (var file = FileClaimStore.open(dir.resolve("store"))) {
            var json = StoreBench.run(new Counting(file), "bench/", 10, 1, 3, StoreBench.Read.LIST).json(JSONB);
            assertTrue(json.contains("\"requests\":{\"reads\":0,\"writes\":10,\"lists\":10,\"deletes\":0,\"total\":20}"), json);
        }
    }

    @Test
    void anUnknownReadModeIsExit2NamingTheFlag(@TempDir Path dir) {
        var r = MainTest.run("store", "bench", "--store", dir.toUri().toString(), "--read", "everything");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.errorLine().contains("--read") && r.errorLine().contains("'everything'"), r.err());
    }

    @Test
    void aStoreThatDoesNotCountGivesNullRequestsPerClaim(@TempDir Path dir) throws Exception {
        try (var file = FileClaimStore.open(dir.resolve("store"))) {
            var json = StoreBench.run(file, "bench/", 4, 2, 2).json(JSONB);
            assertTrue(json.contains("\"requestsPerClaim\":null,\"requests\":null}"), json);
        }
    }

    @Test
    void aStoreWhoseCompareAndSetNeverSucceedsEndsWithAClearErrorAndCleansUp(@TempDir Path dir) {
        try (var file = FileClaimStore.open(dir.resolve("store"))) {
            var store = new NeverSwaps(file);
            var e = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(BerthException.class,
                    () -> StoreBench.run(store, "bench/", 10, 2, 2)));
            assertTrue(e.getMessage().contains("never-swaps") && e.getMessage().contains("berth store check"),
                    e.getMessage());
            assertTrue(e.getMessage().contains(StoreBench.attemptBound(2) + " attempts"), e.getMessage());
            assertEquals(List.of(), file.list("bench/"), "the scratch prefix is cleaned up");
        }
    }

    @Test
    void aWorkingStoreIsMeasured(@TempDir Path dir) throws Exception {
        try (var file = FileClaimStore.open(dir.resolve("store"))) {
            var result = StoreBench.run(file, "bench/", 20, 2, 2);
            assertEquals(20, result.claims());
            assertEquals(List.of(), file.list("bench/"));
        }
    }
}
