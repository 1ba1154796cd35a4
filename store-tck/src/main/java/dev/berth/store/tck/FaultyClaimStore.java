package dev.berth.store.tck;

import dev.berth.spi.ClaimStore;
import dev.berth.spi.Conflict;
import dev.berth.spi.DeleteResult;
import dev.berth.spi.Deleted;
import dev.berth.spi.Versioned;
import dev.berth.spi.WriteResult;
import dev.berth.spi.Written;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * In-memory stores for tests, correct or wrong in one of the ways a real server can be wrong.
 * Not a product store: they exist to show that a contract, a race or a store check fails where
 * it must, and passes on the correct one.
 */
public final class FaultyClaimStore implements ClaimStore {

    public enum Mode {
        /** Correct: every conditional write is checked and applied under one lock. */
        ATOMIC,
        /** Checks, pauses, then writes: concurrent writers that all passed the check all win. */
        CHECK_THEN_WRITE,
        /** Ignores the condition headers altogether, like old S3-compatible servers. */
        IGNORES_CONDITIONS,
        /** Uses a hash of the value as version, like a plain ETag. */
        CONTENT_HASH_VERSIONS,
        /** Correct writes, but one get in {@value #STALE_EVERY} serves the key's value from before its last write. */
        STALE_READS
    }

    /** How often a {@link Mode#STALE_READS} store serves a stale read. */
    public static final int STALE_EVERY = 25;

    private final TreeMap<String, Versioned> map = new TreeMap<>();
    /** Per key, what it held before its last write (absent: held nothing). */
    private final HashMap<String, Optional<Versioned>> before = new HashMap<>();
    private long gets;
    private final AtomicLong revision = new AtomicLong();
    private final Mode mode;

    public FaultyClaimStore(Mode mode) {
        this.mode = mode;
    }

    @Override
    public Optional<Versioned> get(String key) {
        synchronized (map) {
            if (mode == Mode.STALE_READS && ++gets % STALE_EVERY == 0 && before.containsKey(key)) {
                return before.get(key);
            }
            return Optional.ofNullable(map.get(key));
        }
    }

    @Override
    public List<Versioned> list(String prefix) {
        synchronized (map) {
            return map.tailMap(prefix, true).values().stream().takeWhile(v -> v.key().startsWith(prefix)).toList();
        }
    }

    @Override
    public WriteResult putIfAbsent(String key, byte[] value) {
        return write(key, null, value);
    }

    @Override
    public WriteResult compareAndSet(String key, String expectedVersion, byte[] value) {
        return write(key, expectedVersion, value);
    }

    private WriteResult write(String key, String expected, byte[] value) {
        if (mode == Mode.CHECK_THEN_WRITE) {
            boolean ok;
            synchronized (map) {
                ok = holds(key, expected);
            }
            if (!ok) {
                return conflict(key);
            }
            try {
                Thread.sleep(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (map) {
                return put(key, value);
            }
        }
        synchronized (map) {
            return mode == Mode.IGNORES_CONDITIONS || holds(key, expected) ? put(key, value) : conflict(key);
        }
    }

    private Conflict conflict(String key) {
        synchronized (map) {
            return new Conflict(Optional.ofNullable(map.get(key)));
        }
    }

    private boolean holds(String key, String expected) {
        var current = map.get(key);
        return expected == null ? current == null : current != null && current.version().equals(expected);
    }

    private Written put(String key, byte[] value) {
        String version = mode == Mode.CONTENT_HASH_VERSIONS
                ? Integer.toHexString(java.util.Arrays.hashCode(value))
                : Long.toString(revision.incrementAndGet());
        before.put(key, Optional.ofNullable(map.put(key, new Versioned(key, value, version))));
        return new Written(version);
    }

    @Override
    public DeleteResult deleteIfVersion(String key, String expectedVersion) {
        synchronized (map) {
            if (mode != Mode.IGNORES_CONDITIONS && !holds(key, expectedVersion)) {
                return Conflict.unknown();
            }
            var removed = map.remove(key);
            if (removed == null) {
                return Conflict.unknown();
            }
            before.put(key, Optional.of(removed));
            return new Deleted();
        }
    }

    public int size() {
        synchronized (map) {
            return map.size();
        }
    }

    @Override
    public String describe() {
        return "faulty test store (" + mode + ")";
    }
}
