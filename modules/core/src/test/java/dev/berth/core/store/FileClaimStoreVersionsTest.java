package dev.berth.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.Conflict;
import dev.berth.spi.Deleted;
import dev.berth.spi.StoreException;
import dev.berth.spi.Written;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file store's versions rise whatever its counter file says: a counter rolled back or lost
 * never hands a version out twice, so a stale reader's compare-and-set cannot succeed (no ABA).
 */
class FileClaimStoreVersionsTest {
    private static final String KEY = "clusters/lab/slots/0";

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String version(Object result) {
        return assertInstanceOf(Written.class, result).version();
    }

    @Test
    void aRolledBackCounterDoesNotLetAStaleCompareAndSetSucceed() throws Exception {
        var store = FileClaimStore.open(dir);
        var counter = dir.resolve("counter");
        version(store.putIfAbsent(KEY, bytes("a")));
        var rollback = Files.readString(counter);
        var staleVersion = version(store.compareAndSet(KEY, store.get(KEY).orElseThrow().version(), bytes("b")));
        Files.writeString(counter, rollback); // a backup restored over the counter, or a lost write
        var next = version(store.compareAndSet(KEY, staleVersion, bytes("c")));
        assertNotEquals(staleVersion, next);
        assertInstanceOf(Conflict.class, store.compareAndSet(KEY, staleVersion, bytes("stale")),
                "a reader still holding version " + staleVersion + " must lose");
    }

    @Test
    void aLostCounterDoesNotLetAStaleCompareAndSetSucceed() throws Exception {
        var store = FileClaimStore.open(dir);
        String stale = null;
        for (int i = 0; i < 5; i++) {
            stale = version(i == 0 ? store.putIfAbsent(KEY, bytes("v" + i))
                    : store.compareAndSet(KEY, stale, bytes("v" + i)));
        }
        Files.delete(dir.resolve("counter"));
        var fresh = version(store.compareAndSet(KEY, stale, bytes("after loss")));
        for (int i = 0; i < 5; i++) {
            fresh = version(store.compareAndSet(KEY, fresh, bytes("again " + i)));
            assertNotEquals(stale, fresh);
        }
        assertInstanceOf(Conflict.class, store.compareAndSet(KEY, stale, bytes("stale")));
    }

    @Test
    void aKeyDeletedAndMadeAgainAfterTheCounterIsLostGetsANewVersion() throws Exception {
        var store = FileClaimStore.open(dir);
        version(store.putIfAbsent("clusters/lab/slots/1", bytes("other")));
        var stale = version(store.putIfAbsent(KEY, bytes("a")));
        assertInstanceOf(Deleted.class, store.deleteIfVersion(KEY, stale));
        Files.delete(dir.resolve("counter"));
        version(store.putIfAbsent("clusters/lab/slots/2", bytes("another")));
        assertNotEquals(stale, version(store.putIfAbsent(KEY, bytes("b"))));
        assertInstanceOf(Conflict.class, store.compareAndSet(KEY, stale, bytes("stale")));
    }

    @Test
    void aCounterAtTheLargestNumberIsRefusedNotWrapped() throws Exception {
        var store = FileClaimStore.open(dir);
        version(store.putIfAbsent(KEY, bytes("a")));
        Files.writeString(dir.resolve("counter"), Long.toString(Long.MAX_VALUE));
        var current = store.get(KEY).orElseThrow().version();
        var refused = assertThrows(StoreException.class, () -> store.compareAndSet(KEY, current, bytes("b")));
        assertTrue(refused.getMessage().contains(dir.resolve("counter").toString()), refused.getMessage());
        assertTrue(refused.getMessage().contains("restore"), refused.getMessage());
        assertEquals("a", new String(store.get(KEY).orElseThrow().value(), StandardCharsets.UTF_8), "the record is left as it was");
    }

    @Test
    void aKeyFileWithAVersionAtTheLargestNumberIsCorruptNotWrapped() throws Exception {
        var store = FileClaimStore.open(dir);
        version(store.putIfAbsent(KEY, bytes("a")));
        var file = dir.resolve("keys").resolve(java.net.URLEncoder.encode(KEY, StandardCharsets.UTF_8));
        Files.writeString(file, "berth-store-v1 " + Long.MAX_VALUE + "\nhostile");
        var refused = assertThrows(StoreException.class,
                () -> store.compareAndSet(KEY, Long.toString(Long.MAX_VALUE), bytes("b")));
        assertTrue(refused.getMessage().contains(KEY), refused.getMessage());
        assertTrue(Files.readString(file).endsWith("hostile"), "the record is left as it is");
    }
}
