package dev.berth.core.slot;

import dev.berth.spi.ClaimStore;
import dev.berth.spi.DeleteResult;
import dev.berth.spi.Hinted;
import dev.berth.spi.Versioned;
import dev.berth.spi.WriteResult;
import dev.berth.spi.Written;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * TEST ONLY: a real store that keeps its writers' hints and lists them without values, as the S3
 * store does, counting its reads; {@link #lie} plants a hint that does not describe its value (a
 * hostile object in the store).
 */
public final class HintsOnlyStore implements ClaimStore {
    private final ClaimStore store;
    private final Map<String, String> hints = new ConcurrentHashMap<>();
    public final AtomicInteger reads = new AtomicInteger();

    public HintsOnlyStore(ClaimStore store) {
        this.store = store;
    }

    /** From now on, the listing shows {@code hint} for {@code key} at {@code version}. */
    public void lie(String keyAtVersion, String hint) {
        hints.put(keyAtVersion, hint);
    }

    @Override
    public List<Hinted> listHinted(String prefix, Function<byte[], String> hintOf) {
        return store.list(prefix).stream().map(v -> new Hinted(v.key(), v.version(),
                Optional.of(hints.getOrDefault(v.key() + "@" + v.version(), hintOf.apply(v.value()))), Optional.empty())).toList();
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
        if (result instanceof Written w) {
            hints.putIfAbsent(key + "@" + w.version(), hint);
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
