package dev.berth.core.slot;

import dev.berth.spi.ClaimStore;
import dev.berth.spi.Conflict;
import dev.berth.spi.Hinted;
import dev.berth.spi.Versioned;
import dev.berth.spi.Written;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Optional;
import java.util.function.Function;

/**
 * The cluster's slot records in the claim store. Every write is conditional; a write that
 * loses returns empty and the caller re-reads. {@code calls} wraps each store call with the
 * caller's bounded retries.
 */
public final class SlotRepository {

    /** Wraps one store call (bounded retries, counting, simulation hooks). */
    public interface CallWrapper {
        <T> T call(String what, java.util.function.Supplier<T> call);
    }

    private final ClaimStore store;
    private final SlotKeys keys;
    private final SlotCodec codec;
    private final CallWrapper calls;
    /** Per slot, the entry last decoded from a listing (see {@link #decoded}). */
    private final java.util.Map<Integer, SlotEntry> lastDecoded = new java.util.concurrent.ConcurrentHashMap<>();
    /** The last hinted listing that took no read, and its index (see {@link #readIndex}). */
    private volatile ListedIndex lastIndex;
    private final String listWhat;

    public SlotRepository(ClaimStore store, SlotKeys keys, SlotCodec codec, CallWrapper calls) {
        this.store = store;
        this.keys = keys;
        this.codec = codec;
        this.calls = calls;
        this.listWhat = "list slots of cluster " + keys.cluster();
    }

    public SlotKeys keys() {
        return keys;
    }

    public SlotTable readAll() {
        var listed = calls.call(listWhat, () -> store.list(keys.slotsPrefix()));
        var gathered = new Gathered<SlotEntry>();
        for (var item : listed) {
            gathered.add(item.key(), n -> Optional.of(decoded(n, item)));
        }
        return new SlotTable(gathered.slots, gathered.corrupt, gathered.corruptSlots);
    }

    /**
     * The slots as one hinted listing shows them ({@link dev.berth.spi.ClaimStore#listHinted}): full
     * records where the store read them anyway, summaries from the writers' hints where it did not
     * (S3, where a claim then reads only the records of the slots it tries). A slot in
     * {@code distrusted} (its hint did not describe its record) is read in full.
     */
    public SlotIndex readIndex(java.util.Set<Integer> distrusted) {
        var listed = calls.call(listWhat, () -> store.listHinted(keys.slotsPrefix(), codec::hint));
        var last = lastIndex;
        if (last != null && last.distrusted().equals(distrusted) && sameListing(last.listed(), listed)) {
            return last.index();   // the same keys at the same versions: the same slots, nothing to decode or read
        }
        var gathered = new Gathered<SlotListing>();
        var reads = new int[1];
        for (var item : listed) {
            gathered.add(item.key(), n -> listing(n, item, distrusted.contains(n), reads));
        }
        var index = new SlotIndex(gathered.slots, gathered.corrupt, gathered.corruptSlots);
        // an index that took a read of its own depends on more than the listing: not kept
        lastIndex = reads[0] == 0 ? new ListedIndex(listed, java.util.Set.copyOf(distrusted), index) : null;
        return index;
    }

    /** A hinted listing, the distrusted slots it was read with, and the index it gave (see {@link #readIndex}). */
    private record ListedIndex(java.util.List<Hinted> listed, java.util.Set<Integer> distrusted, SlotIndex index) {
    }

    /**
     * Whether two listings show the same keys at the same versions with the same hints, in the same order.
     * A version names one value of a key and is never reused, so such listings hold the same values.
     */
    private static boolean sameListing(java.util.List<Hinted> a, java.util.List<Hinted> b) {
        if (a == b) {
            return true;
        }
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            var x = a.get(i);
            var y = b.get(i);
            if (!x.key().equals(y.key()) || !x.version().equals(y.version()) || !x.hint().equals(y.hint())
                    || x.value().isPresent() != y.value().isPresent()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Slot {@code n} as a hinted listing gives it: its record, else its summary, else (a hint not trusted) a
     * read of it, counted in {@code reads}.
     */
    private Optional<? extends SlotListing> listing(int n, Hinted item, boolean distrusted, int[] reads) {
        if (item.value().isPresent()) {
            return Optional.of(decoded(n, item.value().get()));
        }
        var summary = distrusted || item.hint().isEmpty() ? Optional.<SlotSummary>empty()
                : SlotHint.parse(n, item.version(), item.hint().get());
        if (summary.isPresent()) {
            return summary;
        }
        reads[0]++;
        return read(n);
    }

    /** A listing gathered slot by slot: the slots, and apart from them the records that cannot be trusted. */
    private final class Gathered<S> {
        final java.util.List<S> slots = new ArrayList<>();
        final java.util.List<CorruptSlotRecordException> corrupt = new ArrayList<>();
        final java.util.Set<Integer> corruptSlots = new HashSet<>();

        /** Adds what {@code read} gives for the slot {@code key} names; a key that names no slot is skipped. */
        void add(String key, java.util.function.IntFunction<Optional<? extends S>> read) {
            var slot = keys.slotOf(key);
            if (slot.isEmpty()) {
                return;
            }
            try {
                read.apply(slot.getAsInt()).ifPresent(slots::add);
            } catch (CorruptSlotRecordException e) {
                corrupt.add(e);
                corruptSlots.add(slot.getAsInt());
            }
        }
    }

    /**
     * The record of {@code n} as {@code listed} holds it: the one decoded before when the version is the
     * same (a version names one value of a key, and is never reused), so that polling an unchanged
     * table decodes nothing.
     */
    private SlotEntry decoded(int n, Versioned listed) {
        var known = lastDecoded.get(n);
        if (known != null && known.version().equals(listed.version())) {
            return known;
        }
        var entry = new SlotEntry(n, codec.decode(listed.key(), n, keys.cluster(), listed.value()), listed.version());
        lastDecoded.put(n, entry);
        return entry;
    }

    /**
     * The full record of a listed slot at the version listed; empty when the slot has changed since
     * (a lost race: list again). A summary is completed by one read.
     */
    public Optional<SlotEntry> complete(SlotListing listing) {
        return switch (listing) {
            case SlotEntry entry -> Optional.of(entry);
            case SlotSummary summary -> {
                var key = keys.slot(summary.slot());
                yield calls.call("read " + key, () -> store.getVersion(key, summary.version()))
                        .map(v -> new SlotEntry(summary.slot(), codec.decode(key, summary.slot(), keys.cluster(), v.value()),
                                v.version()));
            }
        };
    }

    /** The slot now; throws {@link CorruptSlotRecordException} for a record that cannot be trusted. */
    public Optional<SlotEntry> read(int slot) {
        var key = keys.slot(slot);
        return calls.call("read " + key, () -> store.get(key))
                .map(v -> new SlotEntry(slot, codec.decode(key, slot, keys.cluster(), v.value()), v.version()));
    }

    /** Creates a slot that does not exist yet; empty when someone else created it first. */
    public Optional<SlotEntry> create(SlotRecord record) {
        var key = keys.slot(record.slot());
        var result = calls.call("create " + key, () -> store.putIfAbsent(key, codec.encode(record), SlotHint.of(record)));
        return switch (result) {
            case Written w -> Optional.of(new SlotEntry(record.slot(), record, w.version()));
            case Conflict c -> Optional.empty();
        };
    }

    /** Replaces a slot's record if it still has the version read; empty when it changed meanwhile. */
    public Optional<SlotEntry> replace(SlotEntry current, SlotRecord next) {
        var key = keys.slot(current.slot());
        var result = calls.call("update " + key, () -> store.compareAndSet(key, current.version(), codec.encode(next), SlotHint.of(next)));
        return switch (result) {
            case Written w -> Optional.of(new SlotEntry(current.slot(), next, w.version()));
            case Conflict c -> Optional.empty();
        };
    }

    /** Applies {@code change} to the slot as long as {@code stillOurs} holds for what the store has. */
    public Optional<SlotEntry> update(SlotEntry current, Function<SlotRecord, SlotRecord> change) {
        return replace(current, change.apply(current.record()));
    }
}
