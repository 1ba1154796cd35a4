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
import dev.berth.spi.Versioned;
import dev.berth.spi.WriteResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreBenchTest {

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
