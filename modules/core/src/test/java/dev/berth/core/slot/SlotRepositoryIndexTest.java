package dev.berth.core.slot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.store.FileClaimStore;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The claim's view of the table from a store whose listing carries hints and no values (as S3's
 * does): summaries, each completed by one read of its version, and a slot whose hint cannot be
 * read is read in full.
 */
class SlotRepositoryIndexTest {

    private static final SlotRepository.CallWrapper DIRECT = new SlotRepository.CallWrapper() {
        @Override
        public <T> T call(String what, Supplier<T> call) {
            return call.get();
        }
    };

    @Test
    void theIndexIsSummariesAndOneReadCompletesTheSlotTried(@TempDir Path dir) {
        var store = new HintsOnlyStore(FileClaimStore.open(dir));
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
        var store = new HintsOnlyStore(file);
        var slots = new SlotRepository(store, new SlotKeys("lab"), new SlotCodec(), DIRECT);
        slots.create(SlotRecord.fresh("lab", 0)).orElseThrow();
        var one = slots.create(SlotRecord.fresh("lab", 1)).orElseThrow();
        store.lie("clusters/lab/slots/0@" + slots.read(0).orElseThrow().version(), "1;0;i-1;;;");   // hostile
        store.reads.set(0);

        var index = slots.readIndex(Set.of());
        assertInstanceOf(SlotEntry.class, index.slot(0).orElseThrow(), "a hint that does not parse: the record is read");
        assertInstanceOf(SlotSummary.class, index.slot(1).orElseThrow());
        assertEquals(1, store.reads.get());

        var distrusted = slots.readIndex(Set.of(1));
        assertInstanceOf(SlotEntry.class, distrusted.slot(1).orElseThrow(), "a distrusted slot is read in full");
        assertEquals(one.record(), ((SlotEntry) distrusted.slot(1).orElseThrow()).record());
    }

    @Test
    void anUnchangedListingGivesTheSameIndexAndAChangeOrAnotherDistrustANewOne(@TempDir Path dir) {
        var slots = new SlotRepository(FileClaimStore.open(dir), new SlotKeys("lab"), new SlotCodec(), DIRECT);
        slots.create(SlotRecord.fresh("lab", 0)).orElseThrow();
        var one = slots.create(SlotRecord.fresh("lab", 1)).orElseThrow();

        var first = slots.readIndex(Set.of());
        assertSame(first, slots.readIndex(Set.of()), "the same keys at the same versions: the index of the last listing");
        assertNotSame(first, slots.readIndex(Set.of(1)), "another set of distrusted slots is another index");

        slots.replace(one, one.record().withHolder(new SlotRecord.Holder("i-9", "a", 3), 1)).orElseThrow();
        var changed = slots.readIndex(Set.of());
        assertNotSame(first, changed);
        assertEquals("i-9", changed.slot(1).orElseThrow().holder().instanceId(), "a new version is seen at once");
        assertEquals(null, changed.slot(0).orElseThrow().holder());
    }

    @Test
    void aListingThatTookAReadIsReadAgainOnEveryLook(@TempDir Path dir) {
        var store = new HintsOnlyStore(FileClaimStore.open(dir));
        var slots = new SlotRepository(store, new SlotKeys("lab"), new SlotCodec(), DIRECT);
        slots.create(SlotRecord.fresh("lab", 0)).orElseThrow();
        slots.create(SlotRecord.fresh("lab", 1)).orElseThrow();
        store.lie("clusters/lab/slots/0@" + slots.read(0).orElseThrow().version(), "not a hint");
        store.reads.set(0);

        slots.readIndex(Set.of());
        slots.readIndex(Set.of());
        assertEquals(2, store.reads.get(), "the slot whose hint cannot be read is read on each look, never remembered");
    }
}
