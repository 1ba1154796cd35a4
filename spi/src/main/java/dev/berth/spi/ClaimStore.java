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

    WriteResult putIfAbsent(String key, byte[] value);

    WriteResult compareAndSet(String key, String expectedVersion, byte[] value);

    DeleteResult deleteIfVersion(String key, String expectedVersion);

    /** Where the store lives, for messages (never credentials). */
    String describe();

    @Override
    default void close() {
    }
}
