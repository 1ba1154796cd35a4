package dev.berth.store.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.berth.spi.ClaimStore;
import dev.berth.spi.Conflict;
import dev.berth.spi.Deleted;
import dev.berth.spi.DeleteResult;
import dev.berth.spi.Listed;
import dev.berth.spi.Versioned;
import dev.berth.spi.WriteResult;
import dev.berth.spi.Written;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ClaimStore} keeps. A store's test extends this class and says
 * how to get the store under test:
 *
 * <pre>{@code
 * class EtcdClaimStoreTest extends ClaimStoreContract {
 *     static ClaimStore store = ...;   // opened once, closed in @AfterAll
 *     @Override protected ClaimStore store() { return store; }
 * }
 * }</pre>
 *
 * <p>{@link #store()} is called before each test and the contract never closes what it
 * returns: the subclass owns the store's life. Each test works under its own
 * {@link #freshPrefix()} and deletes what it wrote afterwards, so tests can share one
 * store, one bucket or one etcd cluster. The race's size comes from {@link #raceThreads()}
 * and {@link #raceRounds()} (system properties {@code berth.race.threads} and
 * {@code berth.race.rounds}, default 16 x 200).
 */
public abstract class ClaimStoreContract {

    private ClaimStore store;
    private String prefix;

    /** The store under test. Called before each test; never closed by the contract. */
    protected abstract ClaimStore store();

    /**
     * A prefix no other test uses; every key of one test lives under it. Ends with '/'.
     * Override to put tests under a store-specific root.
     */
    protected String freshPrefix() {
        return "tck/" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    protected int raceThreads() {
        return Integer.getInteger("berth.race.threads", 16);
    }

    protected int raceRounds() {
        return Integer.getInteger("berth.race.rounds", 200);
    }

    /** The key {@code name} under this test's fresh prefix. */
    protected final String key(String name) {
        return prefix + name;
    }

    @BeforeEach
    final void openContract() {
        store = store();
        prefix = freshPrefix();
        if (!prefix.endsWith("/")) {
            throw new IllegalStateException("freshPrefix() must end with '/', got '" + prefix + "'");
        }
    }

    @AfterEach
    final void cleanUpContract() {
        if (store == null) {
            return;
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            List<Versioned> left = store.list(prefix);
            if (left.isEmpty()) {
                return;
            }
            for (var record : left) {
                store.deleteIfVersion(record.key(), record.version());
            }
        }
    }

    // ---- get -------------------------------------------------------------------------------

    @Test
    void getOfMissingKeyIsEmpty() {
        assertTrue(store.get(key("missing")).isEmpty(), "get of a key never written must be empty");
    }

    @Test
    void getAfterPutIfAbsentReturnsValueAndVersion() {
        var written = written(store.putIfAbsent(key("slot"), bytes("one")), "putIfAbsent on a missing key");
        var read = store.get(key("slot")).orElseThrow(() -> new AssertionError("key written but get is empty"));
        assertEquals(key("slot"), read.key());
        assertArrayEquals(bytes("one"), read.value());
        assertEquals(written.version(), read.version(), "get must return the version the write returned");
    }

    // ---- putIfAbsent -----------------------------------------------------------------------

    @Test
    void secondPutIfAbsentConflictsAndKeepsFirstValue() {
        written(store.putIfAbsent(key("slot"), bytes("first")), "first putIfAbsent");
        var second = store.putIfAbsent(key("slot"), bytes("second"));
        var conflict = assertInstanceOf(Conflict.class, second, "second putIfAbsent on an existing key must conflict");
        conflict.current().ifPresent(current -> assertArrayEquals(bytes("first"), current.value(),
                "a Conflict that tells the current value must tell the right one"));
        assertArrayEquals(bytes("first"), store.get(key("slot")).orElseThrow().value());
    }

    @Test
    void putIfAbsentAfterDeleteCreatesTheKeyAgain() {
        var first = written(store.putIfAbsent(key("slot"), bytes("a")), "putIfAbsent");
        assertInstanceOf(Deleted.class, store.deleteIfVersion(key("slot"), first.version()));
        var again = written(store.putIfAbsent(key("slot"), bytes("b")), "putIfAbsent after delete");
        assertArrayEquals(bytes("b"), store.get(key("slot")).orElseThrow().value());
        assertNotEquals(first.version(), again.version(), "a re-created key must not reuse an old version");
    }

    // ---- compareAndSet ---------------------------------------------------------------------

    @Test
    void compareAndSetWithCurrentVersionWrites() {
        var first = written(store.putIfAbsent(key("slot"), bytes("v1")), "putIfAbsent");
        var second = written(store.compareAndSet(key("slot"), first.version(), bytes("v2")), "CAS with the current version");
        var read = store.get(key("slot")).orElseThrow();
        assertArrayEquals(bytes("v2"), read.value());
        assertEquals(second.version(), read.version());
    }

    @Test
    void compareAndSetWithStaleVersionConflicts() {
        var first = written(store.putIfAbsent(key("slot"), bytes("v1")), "putIfAbsent");
        written(store.compareAndSet(key("slot"), first.version(), bytes("v2")), "CAS");
        var stale = store.compareAndSet(key("slot"), first.version(), bytes("v3"));
        assertInstanceOf(Conflict.class, stale, "CAS with a version that is no longer current must conflict");
        assertArrayEquals(bytes("v2"), store.get(key("slot")).orElseThrow().value());
    }

    @Test
    void compareAndSetWithMadeUpVersionConflicts() {
        var first = written(store.putIfAbsent(key("slot"), bytes("v1")), "putIfAbsent");
        for (String bogus : List.of("0", "-1", "999999999", "not-a-version", "\"etag\"", first.version() + "0")) {
            var result = store.compareAndSet(key("slot"), bogus, bytes("bogus"));
            assertInstanceOf(Conflict.class, result, "CAS with made-up version '" + bogus + "' must conflict");
        }
        assertArrayEquals(bytes("v1"), store.get(key("slot")).orElseThrow().value());
    }

    @Test
    void compareAndSetOnMissingKeyConflicts() {
        var result = store.compareAndSet(key("missing"), "1", bytes("x"));
        assertInstanceOf(Conflict.class, result, "CAS on a key that does not exist must conflict");
        assertTrue(store.get(key("missing")).isEmpty(), "a failed CAS must not create the key");
    }

    @Test
    void compareAndSetWithVersionFromBeforeDeleteConflictsAfterRecreate() {
        var first = written(store.putIfAbsent(key("slot"), bytes("a")), "putIfAbsent");
        assertInstanceOf(Deleted.class, store.deleteIfVersion(key("slot"), first.version()));
        written(store.putIfAbsent(key("slot"), bytes("b")), "putIfAbsent after delete");
        var stale = store.compareAndSet(key("slot"), first.version(), bytes("stale"));
        assertInstanceOf(Conflict.class, stale, "a version read before a delete must not match the re-created key (ABA)");
        assertArrayEquals(bytes("b"), store.get(key("slot")).orElseThrow().value());
    }

    @Test
    void versionsChangeOnEveryWrite() {
        var versions = new HashSet<String>();
        var current = written(store.putIfAbsent(key("slot"), bytes("same")), "putIfAbsent");
        versions.add(current.version());
        for (int i = 0; i < 5; i++) {
            // the same bytes every time: a content hash (a plain ETag) would not change
            var next = written(store.compareAndSet(key("slot"), current.version(), bytes("same")), "CAS #" + i);
            assertTrue(versions.add(next.version()), "version " + next.version() + " repeated after write #" + i);
            assertInstanceOf(Conflict.class, store.compareAndSet(key("slot"), current.version(), bytes("same")),
                    "the version before write #" + i + " must no longer be accepted");
            current = next;
        }
    }

    // ---- deleteIfVersion -------------------------------------------------------------------

    @Test
    void deleteIfVersionWithCurrentVersionDeletes() {
        var first = written(store.putIfAbsent(key("slot"), bytes("v1")), "putIfAbsent");
        assertInstanceOf(Deleted.class, store.deleteIfVersion(key("slot"), first.version()));
        assertTrue(store.get(key("slot")).isEmpty(), "a deleted key must read as missing");
        assertTrue(store.list(prefix).isEmpty(), "a deleted key must not be listed");
    }

    @Test
    void deleteIfVersionWithWrongVersionConflictsAndKeepsValue() {
        var first = written(store.putIfAbsent(key("slot"), bytes("v1")), "putIfAbsent");
        written(store.compareAndSet(key("slot"), first.version(), bytes("v2")), "CAS");
        assertInstanceOf(Conflict.class, store.deleteIfVersion(key("slot"), first.version()),
                "delete with a stale version must conflict");
        assertInstanceOf(Conflict.class, store.deleteIfVersion(key("slot"), "not-a-version"),
                "delete with a made-up version must conflict");
        assertArrayEquals(bytes("v2"), store.get(key("slot")).orElseThrow().value());
    }

    @Test
    void deleteIfVersionOfMissingKeyConflicts() {
        assertInstanceOf(Conflict.class, store.deleteIfVersion(key("missing"), "1"));
    }

    @Test
    void secondDeleteWithSameVersionConflicts() {
        var first = written(store.putIfAbsent(key("slot"), bytes("v1")), "putIfAbsent");
        assertInstanceOf(Deleted.class, store.deleteIfVersion(key("slot"), first.version()));
        assertInstanceOf(Conflict.class, store.deleteIfVersion(key("slot"), first.version()),
                "deleting an already deleted key must conflict");
    }

    // ---- list ------------------------------------------------------------------------------

    @Test
    void listReturnsKeysUnderPrefixSortedByKey() {
        for (String name : List.of("a/2", "a/10", "a/1", "a/1/x", "a/1-b", "b/1", "a")) {
            written(store.putIfAbsent(key(name), bytes("value of " + name)), "putIfAbsent " + name);
        }
        var listed = store.list(key("a/"));
        assertEquals(List.of(key("a/1"), key("a/1-b"), key("a/1/x"), key("a/10"), key("a/2")),
                listed.stream().map(Versioned::key).toList(), "list must return every key under the prefix, sorted");
        for (var record : listed) {
            var read = store.get(record.key()).orElseThrow();
            assertArrayEquals(read.value(), record.value(), "list must return the value of " + record.key());
            assertEquals(read.version(), record.version(), "list must return the version of " + record.key());
        }
    }

    @Test
    void listIsPrefixExact() {
        for (String name : List.of("a/1", "a/10", "a/1/x", "a/100/y")) {
            written(store.putIfAbsent(key(name), bytes(name)), "putIfAbsent " + name);
        }
        assertEquals(List.of(key("a/1/x")), store.list(key("a/1/")).stream().map(Versioned::key).toList(),
                "list of 'a/1/' must not include 'a/10' or 'a/100/y'");
        assertEquals(List.of(key("a/100/y")), store.list(key("a/100/")).stream().map(Versioned::key).toList());
        assertTrue(store.list(key("a/2/")).isEmpty(), "list of a prefix with no keys must be empty");
    }

    @Test
    void listVersionsShowsLiveKeysWithTheirVersionsAndSkipsDeletedOnes() {
        var a = written(store.putIfAbsent(key("v/a"), bytes("a")), "putIfAbsent a").version();
        written(store.putIfAbsent(key("v/b"), bytes("b")), "putIfAbsent b");
        var b = store.get(key("v/b")).orElseThrow();
        assertInstanceOf(Deleted.class, store.deleteIfVersion(key("v/b"), b.version()), "delete b");
        var empty = written(store.putIfAbsent(key("v/c"), new byte[0]), "putIfAbsent c (no bytes)").version();
        var a2 = written(store.compareAndSet(key("v/a"), a, bytes("a2")), "compareAndSet a").version();

        assertEquals(List.of(new Listed(key("v/a"), a2), new Listed(key("v/c"), empty)), store.listVersions(key("v/")),
                "listVersions must show every live key under the prefix with its current version, sorted, and no deleted key");
    }

    @Test
    void listHintedShowsEveryLiveKeyWithTheHintOfItsCurrentVersion() {
        java.util.function.Function<byte[], String> hintOf = v -> "derived:" + new String(v, StandardCharsets.UTF_8);
        var a = written(store.putIfAbsent(key("h/a"), bytes("a1"), "hint a1"), "putIfAbsent a").version();
        var a2 = written(store.compareAndSet(key("h/a"), a, bytes("a2"), "hint a2"), "compareAndSet a").version();
        var b = written(store.putIfAbsent(key("h/b"), bytes("b1")), "putIfAbsent b (no hint)").version();
        var c = written(store.putIfAbsent(key("h/c"), bytes("c1"), "hint c1"), "putIfAbsent c").version();
        // a later write without a hint: the hint of c1 no longer describes c's current version
        var c2 = written(store.compareAndSet(key("h/c"), c, bytes("c2")), "compareAndSet c (no hint)").version();
        var d = written(store.putIfAbsent(key("h/d"), bytes("d1"), "hint d1"), "putIfAbsent d").version();
        assertInstanceOf(Deleted.class, store.deleteIfVersion(key("h/d"), d), "delete d");

        for (int round = 0; round < 2; round++) {   // the second round may answer from hints the first one kept
            var listed = store.listHinted(key("h/"), hintOf);
            assertEquals(List.of(key("h/a"), key("h/b"), key("h/c")), listed.stream().map(dev.berth.spi.Hinted::key).toList(),
                    "listHinted must show every live key under the prefix, sorted, and no deleted key");
            assertEquals(List.of(a2, b, c2), listed.stream().map(dev.berth.spi.Hinted::version).toList(),
                    "listHinted must give each key's current version");
            var hints = listed.stream().map(h -> h.hint(hintOf)).toList();
            assertTrue(hints.get(0).equals("hint a2") || hints.get(0).equals("derived:a2"),
                    "a's hint must be the one written with its current version (or derived from it), got " + hints.get(0));
            assertEquals("derived:b1", hints.get(1), "a value written without a hint gets the hint derived from it");
            assertEquals("derived:c2", hints.get(2), "a hint of an older version must never stand for the current one");
            for (var h : listed) {
                h.value().ifPresent(v -> assertEquals(h.version(), v.version(), "a value given with a listing is that version's"));
            }
        }
    }

    @Test
    void getVersionReadsTheValueOfThatVersionOnly() {
        var first = written(store.putIfAbsent(key("g"), bytes("one")), "putIfAbsent").version();
        var read = store.getVersion(key("g"), first).orElseThrow(() -> new AssertionError("getVersion of the current version is empty"));
        assertArrayEquals(bytes("one"), read.value());
        assertEquals(first, read.version());
        var second = written(store.compareAndSet(key("g"), first, bytes("two")), "compareAndSet").version();
        assertArrayEquals(bytes("two"), store.getVersion(key("g"), second).orElseThrow().value());
        store.getVersion(key("g"), first).ifPresent(old -> assertArrayEquals(bytes("one"), old.value(),
                "getVersion of an older version may be empty, but if not it must be that version's value"));
        assertTrue(store.getVersion(key("g"), "not-a-version").isEmpty(), "a made-up version has no value");
        assertTrue(store.getVersion(key("missing"), first).isEmpty(), "a missing key has no value");
    }

    @Test
    void listOfEmptyPrefixIsEmpty() {
        assertTrue(store.list(prefix).isEmpty(), "a fresh prefix must list nothing");
    }

    // ---- values ----------------------------------------------------------------------------

    @Test
    void valuesRoundTripByteExact() {
        var every = new byte[256];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }
        var large = new byte[100_000];
        new Random(42).nextBytes(large);
        var values = List.of(every, new byte[0], large, "{\"slot\":1,\"holder\":\"i-0ab\",\"ünïcödé\":\"✓\"}\n"
                .getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0});
        for (int i = 0; i < values.size(); i++) {
            var value = values.get(i);
            var written = written(store.putIfAbsent(key("value/" + i), value), "putIfAbsent value #" + i);
            var read = store.get(key("value/" + i)).orElseThrow();
            assertArrayEquals(value, read.value(), "value #" + i + " (" + value.length + " bytes) must round-trip");
            var replaced = written(store.compareAndSet(key("value/" + i), written.version(), value), "CAS value #" + i);
            assertArrayEquals(value, store.get(key("value/" + i)).orElseThrow().value());
            assertNotEquals(written.version(), replaced.version());
        }
    }

    @Test
    void keysWithPunctuationRoundTrip() {
        var name = "clusters/c-1_x.y/slots/node:0=a@b~c,d";
        written(store.putIfAbsent(key(name), bytes("p")), "putIfAbsent " + name);
        assertArrayEquals(bytes("p"), store.get(key(name)).orElseThrow().value());
        assertEquals(List.of(key(name)), store.list(key("clusters/")).stream().map(Versioned::key).toList());
    }

    @Test
    void returnedValuesAreCopies() {
        written(store.putIfAbsent(key("slot"), bytes("abc")), "putIfAbsent");
        var read = store.get(key("slot")).orElseThrow();
        read.value()[0] = 'X';
        assertArrayEquals(bytes("abc"), store.get(key("slot")).orElseThrow().value());
    }

    @Test
    void describeNamesTheStore() {
        assertFalse(store.describe().isBlank(), "describe() must say where the store lives");
    }

    // ---- the race --------------------------------------------------------------------------

    @Test
    void linearizabilityRaceHasExactlyOneWinnerPerEpoch() {
        var result = LinearizabilityRace.on(store, key("race/slot"))
                .threads(raceThreads())
                .rounds(raceRounds())
                .run();
        System.out.println("[" + getClass().getSimpleName() + "] race on " + store.describe() + ": " + result.summary());
        if (!result.passed()) {
            fail("the store is not linearizable under contention: " + result.summary());
        }
        assertEquals(raceRounds(), result.wins(), "one win per round");
        assertEquals(raceRounds(), result.finalEpoch(), "final epoch == rounds");
    }

    // ---- helpers ---------------------------------------------------------------------------

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    protected static Written written(WriteResult result, String what) {
        if (result instanceof Written written) {
            return written;
        }
        throw new AssertionError(what + " must write, but got " + result);
    }

    protected static boolean deleted(DeleteResult result) {
        return result instanceof Deleted;
    }
}
