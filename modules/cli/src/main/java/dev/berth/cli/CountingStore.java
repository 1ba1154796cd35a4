package dev.berth.cli;

import dev.berth.spi.ClaimStore;
import dev.berth.spi.Conflict;
import dev.berth.spi.DeleteResult;
import dev.berth.spi.Versioned;
import dev.berth.spi.WriteResult;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The claim store as it is, counting its conditional writes (compare-and-set and put-if-absent) and the ones another
 * writer won, for the metrics of a claim. It decides nothing: every call goes to the store it wraps.
 */
final class CountingStore implements ClaimStore {
    private final ClaimStore store;
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger conflicts = new AtomicInteger();

    CountingStore(ClaimStore store) {
        this.store = store;
    }

    int attempts() {
        return attempts.get();
    }

    int conflicts() {
        return conflicts.get();
    }

    @Override
    public Optional<Versioned> get(String key) {
        return store.get(key);
    }

    @Override
    public List<Versioned> list(String prefix) {
        return store.list(prefix);
    }

    @Override
    public List<dev.berth.spi.Listed> listVersions(String prefix) {
        return store.listVersions(prefix);
    }

    @Override
    public List<dev.berth.spi.Hinted> listHinted(String prefix, java.util.function.Function<byte[], String> hintOf) {
        return store.listHinted(prefix, hintOf);
    }

    @Override
    public Optional<Versioned> getVersion(String key, String version) {
        return store.getVersion(key, version);
    }

    @Override
    public dev.berth.spi.StoreStats stats() {
        return store.stats();
    }

    @Override
    public WriteResult putIfAbsent(String key, byte[] value) {
        return counted(store.putIfAbsent(key, value));
    }

    @Override
    public WriteResult putIfAbsent(String key, byte[] value, String hint) {
        return counted(store.putIfAbsent(key, value, hint));
    }

    @Override
    public WriteResult compareAndSet(String key, String expectedVersion, byte[] value) {
        return counted(store.compareAndSet(key, expectedVersion, value));
    }

    @Override
    public WriteResult compareAndSet(String key, String expectedVersion, byte[] value, String hint) {
        return counted(store.compareAndSet(key, expectedVersion, value, hint));
    }

    @Override
    public DeleteResult deleteIfVersion(String key, String expectedVersion) {
        return store.deleteIfVersion(key, expectedVersion);
    }

    @Override
    public String describe() {
        return store.describe();
    }

    @Override
    public void close() {
        store.close();
    }

    private WriteResult counted(WriteResult result) {
        attempts.incrementAndGet();
        if (result instanceof Conflict) {
            conflicts.incrementAndGet();
        }
        return result;
    }
}
