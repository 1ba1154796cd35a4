package dev.berth.storecheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.ClaimStore;
import dev.berth.spi.DeleteResult;
import dev.berth.spi.StoreException;
import dev.berth.spi.Versioned;
import dev.berth.spi.WriteResult;
import dev.berth.store.tck.FaultyClaimStore;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreCheckTest {

    @Test
    void atomicStoreIsSafeAndLeftClean() {
        var store = new FaultyClaimStore(FaultyClaimStore.Mode.ATOMIC);
        store.putIfAbsent("other/keep", new byte[] {1});
        var report = StoreCheck.run(store, "scratch/", 16, 20);
        assertTrue(report.safe(), report.summary());
        assertTrue(report.findings().isEmpty());
        assertEquals(9, report.passed().size(), report.passed().toString());
        assertEquals(1, store.size(), "only the key outside the scratch prefix may be left");
        assertTrue(report.summary().contains("is safe"), report.summary());
    }

    @Test
    void checkThenWriteStoreIsUnsafeWithWinnerCounts() {
        var store = new FaultyClaimStore(FaultyClaimStore.Mode.CHECK_THEN_WRITE);
        var report = StoreCheck.run(store, "scratch", 20, 5);
        assertFalse(report.safe());
        var text = report.summary();
        assertTrue(text.matches("(?s).*putIfAbsent let \\d+ of 20 concurrent writers win.*"), text);
        assertTrue(text.contains("compareAndSet (If-Match or its equivalent) is not atomic"), text);
        assertEquals(0, store.size(), "the check cleans up after itself on an unsafe store too");
    }

    @Test
    void storeIgnoringConditionsIsUnsafeSequentially() {
        var report = StoreCheck.run(new FaultyClaimStore(FaultyClaimStore.Mode.IGNORES_CONDITIONS), "scratch/", 4, 2);
        assertFalse(report.safe());
        var problems = report.findings().stream().map(Finding::problem).toList();
        assertTrue(problems.contains("putIfAbsent on an existing key was accepted: two creators would both win"),
                problems.toString());
        assertTrue(problems.contains("compareAndSet with a wrong version was accepted"), problems.toString());
        assertTrue(problems.contains("deleteIfVersion with a stale version was accepted"), problems.toString());
    }

    @Test
    void contentHashVersionsAreCaught() {
        var report = StoreCheck.run(new FaultyClaimStore(FaultyClaimStore.Mode.CONTENT_HASH_VERSIONS), "scratch/", 4, 2);
        assertFalse(report.safe());
        assertTrue(report.summary().contains("a content hash is not a version"), report.summary());
    }

    @Test
    void failingStoreIsReportedAndNotSafe() {
        var failing = new ClaimStore() {
            @Override
            public Optional<Versioned> get(String key) {
                throw new StoreException("store at test://down did not answer", true);
            }

            @Override
            public List<Versioned> list(String prefix) {
                throw new StoreException("store at test://down did not answer", true);
            }

            @Override
            public WriteResult putIfAbsent(String key, byte[] value) {
                throw new StoreException("store at test://down did not answer", true);
            }

            @Override
            public WriteResult compareAndSet(String key, String expectedVersion, byte[] value) {
                throw new StoreException("store at test://down did not answer", true);
            }

            @Override
            public DeleteResult deleteIfVersion(String key, String expectedVersion) {
                throw new StoreException("store at test://down did not answer", true);
            }

            @Override
            public String describe() {
                return "test://down";
            }
        };
        var report = StoreCheck.run(failing, "scratch/", 2, 1);
        assertFalse(report.safe());
        assertTrue(report.summary().contains("did not answer"), report.summary());
        assertTrue(report.notes().stream().anyMatch(n -> n.contains("delete what is left by hand")), report.notes().toString());
    }

    @Test
    void boundsAreChecked() {
        var store = new FaultyClaimStore(FaultyClaimStore.Mode.ATOMIC);
        assertThrows(IllegalArgumentException.class, () -> StoreCheck.run(store, "s/", 1, 1));
        assertThrows(IllegalArgumentException.class, () -> StoreCheck.run(store, "s/", 2, 0));
    }
}
