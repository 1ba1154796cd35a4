package dev.berth.spi;

import java.util.List;
import java.util.Optional;

/**
 * A linearizable key-value store with versions: the place where every claim is decided.
 * Keys are '/'-separated paths of printable ASCII. Versions are opaque strings that
 * change with every write of a key (an etcd mod_revision, an S3 ETag, a file counter).
 *
 * <p>Every write is conditional: {@link #putIfAbsent}, {@link #compareAndSet} and
 * {@link #deleteIfVersion} either take effect atomically and return a new version, or do
 * nothing and return a {@link Conflict}. A store that cannot answer throws
 * {@link StoreException}; after such a failure the write may or may not have happened,
 * and callers re-read before they decide.
 */
public interface ClaimStore extends AutoCloseable {

    Optional<Versioned> get(String key);

    /** All keys under a prefix, sorted by key, read at one point in time. */
    List<Versioned> list(String prefix);

    /**
     * The keys under a prefix with their versions, sorted by key, without their values: what a
     * caller needs to pick the few keys it will read and write. Each key's version is one it had
     * at some instant during the call (as with {@link #list}, not a snapshot of all keys). A store
     * whose listing does not carry values (S3) answers this with far fewer requests than
     * {@link #list}; the default lists the values too.
     */
    default List<Listed> listVersions(String prefix) {
        return list(prefix).stream().map(v -> new Listed(v.key(), v.version())).toList();
    }

    /**
     * The value {@code key} had at {@code version}, when the store still knows it; empty
     * otherwise. The result may no longer be current: a compare-and-set on {@code version}
     * then gets a {@link Conflict}. The default reads the current value and keeps it only
     * when its version is still {@code version}.
     */
    default Optional<Versioned> getVersion(String key, String version) {
        return get(key).filter(v -> v.version().equals(version));
    }

    /** Backend requests this store has sent since it was opened; {@link StoreStats#NONE} when it does not count. */
    default StoreStats stats() {
        return StoreStats.NONE;
    }

    WriteResult putIfAbsent(String key, byte[] value);

    WriteResult compareAndSet(String key, String expectedVersion, byte[] value);

    DeleteResult deleteIfVersion(String key, String expectedVersion);

    /** Where the store lives, for messages (never credentials). */
    String describe();

    @Override
    default void close() {
    }
}
