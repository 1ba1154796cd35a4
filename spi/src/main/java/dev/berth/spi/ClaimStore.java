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

    /**
     * The keys under a prefix, sorted by key, each with its version and the hint of that version: a
     * short summary of the value that its writer passed to {@link #putIfAbsent(String, byte[], String)}
     * or {@link #compareAndSet(String, String, byte[], String)}, enough for a caller to choose the few
     * keys it will read. Each key's version is one it had at some instant during the call. A hint is
     * only ever the hint of exactly that version; where the store has none (a value written without
     * one, a writer that stopped between its value and its hint), it reads the value and gives it
     * (and may keep the hint {@code hintOf} derives from it for the next reader). A store whose listing cannot carry values (S3) keeps the hints where a
     * listing shows them, so that a caller pays for the listing and not for a read of every value;
     * the default lists the values and returns each with its value and no hint (the caller needs none:
     * {@link Hinted#hint(java.util.function.Function)} derives it).
     */
    default List<Hinted> listHinted(String prefix, java.util.function.Function<byte[], String> hintOf) {
        return list(prefix).stream()
                .map(v -> new Hinted(v.key(), v.version(), java.util.Optional.empty(), java.util.Optional.of(v)))
                .toList();
    }

    /** Backend requests this store has sent since it was opened; {@link StoreStats#NONE} when it does not count. */
    default StoreStats stats() {
        return StoreStats.NONE;
    }

    WriteResult putIfAbsent(String key, byte[] value);

    WriteResult compareAndSet(String key, String expectedVersion, byte[] value);

    /**
     * {@link #putIfAbsent(String, byte[])} that also keeps {@code hint} (at most {@link #HINT_MAX_CHARS}
     * printable ASCII characters) for {@link #listHinted}. The hint never decides a write: it is kept
     * after the value, best effort. The default ignores it.
     */
    default WriteResult putIfAbsent(String key, byte[] value, String hint) {
        return putIfAbsent(key, value);
    }

    /** {@link #compareAndSet(String, String, byte[])} that also keeps {@code hint}, as {@link #putIfAbsent(String, byte[], String)}. */
    default WriteResult compareAndSet(String key, String expectedVersion, byte[] value, String hint) {
        return compareAndSet(key, expectedVersion, value);
    }

    /** The longest hint a store must keep; a longer one may be dropped (a listing then reads the value). */
    int HINT_MAX_CHARS = 256;

    DeleteResult deleteIfVersion(String key, String expectedVersion);

    /** Where the store lives, for messages (never credentials). */
    String describe();

    @Override
    default void close() {
    }
}
