package dev.berth.core.slot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.store.FileClaimStore;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.DeleteResult;
import dev.berth.spi.Hinted;
import dev.berth.spi.Versioned;
import dev.berth.spi.WriteResult;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The claim's view of the table from a store whose listing carries hints and no values (as S3's
 * does): summaries, each completed by one read of its version, and a slot whose hint cannot be
 * read is read in full.
 */
class SlotRepositoryIndexTest {

    /** A real file store that keeps the writers' hints and lists them without values, counting its reads. */
    private static final class HintsOnly implements ClaimStore {
        private final ClaimStore store;
        private final Map<String, String> hints = new HashMap<>();
        final AtomicInteger reads = new AtomicInteger();

        HintsOnly(ClaimStore store) {
            this.store = store;
        }

        @Override
        public List<Hinted> listHinted(String prefix, Function<byte[], String> hintOf) {
            return store.list(prefix).stream().map(v -> new Hinted(v.key(), v.version(),
                    hints.getOrDefault(v.key() + "@" + v.version(), hintOf.apply(v.value())), Optional.empty())).toList();
        }

        @Override
        public Optional<Versioned> get(String key) {
            reads.incrementAndGet();
            return store.get(key);
        }

        @Override
        public List<Versioned> list(String prefix) {
            throw new AssertionError("a claim's listing must not read every value");
        }

        @Override
        public WriteResult putIfAbsent(String key, byte[] value) {
            return store.putIfAbsent(key, value);
        }

        @Override
        public WriteResult putIfAbsent(String key, byte[] value, String hint) {
            return kept(key, hint, store.putIfAbsent(key, value));
        }

        @Override
        public WriteResult compareAndSet(String key, String expectedVersion, byte[] value) {
            return store.compareAndSet(key, expectedVersion, value);
        }

        @Override
        public WriteResult compareAndSet(String key, String expectedVersion, byte[] value, String hint) {
            return kept(key, hint, store.compareAndSet(key, expectedVersion, value));
        }

        private WriteResult kept(String key, String hint, WriteResult result) {
            if (result instanceof dev.berth.spi.Written w) {
                hints.put(key + "@" + w.version(), hint);
            }
            return result;
        }

        @Override
        public DeleteResult deleteIfVersion(String key, String expectedVersion) {
            return store.deleteIfVersion(key, expectedVersion);
        }

        @Override
        public String describe() {
            return "hints-only " + store.describe();
        }
    }

    private static final SlotRepository.CallWrapper DIRECT = new SlotRepository.CallWrapper() {
        @Override
        public <T> T call(String what, Supplier<T> call) {
            return call.get();
        }
    };

    @Test
    void theIndexIsSummariesAndOneReadCompletesTheSlotTried(@TempDir Path dir) {
        var store = new HintsOnly(FileClaimStore.open(dir));
        var slots = new SlotRepository(store, new SlotKeys("lab"), new SlotCodec(), DIRECT);
        for (int n = 0; n < 20; n++) {
            var record = SlotRecord.fresh("lab", n);
            if (n % 2 == 0) {
                record = record.withHolder(new SlotRecord.Holder("i-" + n, "a", 5), 1);
            }
            slots.create(record).orElseThrow();
        }
        var index = slots.readIndex(Set.of());
        assertEquals(0, store.reads.get(), "listing 20 hinted slots reads no record");
        assertEquals(20, index.slots().size());
        assertTrue(index.slots().stream().allMatch(s -> s instanceof SlotSummary));
        assertEquals("i-4", index.slot(4).orElseThrow().holder().instanceId());
        assertTrue(index.heldBy("i-6").isPresent());

        var full = slots.complete(index.slot(7).orElseThrow()).orElseThrow();
        assertEquals(1, store.reads.get(), "completing the slot tried is one read");
        assertTrue(((SlotSummary) index.slot(7).orElseThrow()).describes(full));

        var taken = slots.replace(full, full.record().withHolder(new SlotRecord.Holder("i-x", "a", 9), 1)).orElseThrow();
        assertTrue(slots.complete(index.slot(7).orElseThrow()).isEmpty(),
                "a slot that changed since the listing cannot be completed at the listed version: a lost race");
        assertEquals("i-x", slots.readIndex(Set.of()).slot(7).orElseThrow().holder().instanceId(),
                "the next listing shows the new holder from its hint: " + taken);
    }

    @Test
    void aSlotWhoseHintCannotBeTrustedOrIsDistrustedIsReadInFull(@TempDir Path dir) {
        var file = FileClaimStore.open(dir);
        var store = new HintsOnly(file);
        var slots = new SlotRepository(store, new SlotKeys("lab"), new SlotCodec(), DIRECT);
        slots.create(SlotRecord.fresh("lab", 0)).orElseThrow();
        var one = slots.create(SlotRecord.fresh("lab", 1)).orElseThrow();
        store.hints.put("clusters/lab/slots/0@" + slots.read(0).orElseThrow().version(), "1;0;i-1;;;");   // hostile
        store.reads.set(0);

        var index = slots.readIndex(Set.of());
        assertInstanceOf(SlotEntry.class, index.slot(0).orElseThrow(), "a hint that does not parse: the record is read");
        assertInstanceOf(SlotSummary.class, index.slot(1).orElseThrow());
        assertEquals(1, store.reads.get());

        var distrusted = slots.readIndex(Set.of(1));
        assertInstanceOf(SlotEntry.class, distrusted.slot(1).orElseThrow(), "a distrusted slot is read in full");
        assertEquals(one.record(), ((SlotEntry) distrusted.slot(1).orElseThrow()).record());
    }
}
