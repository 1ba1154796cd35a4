package dev.berth.store.tck;

import dev.berth.spi.ClaimStore;
import dev.berth.spi.Conflict;
import dev.berth.spi.DeleteResult;
import dev.berth.spi.Deleted;
import dev.berth.spi.Versioned;
import dev.berth.spi.WriteResult;
import dev.berth.spi.Written;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test store: correct when {@code atomic}, and when not, it checks and writes in two steps
 * with a pause between them, the way a server with a non-atomic If-Match does.
 */
final class InMemoryClaimStore implements ClaimStore {
    private final TreeMap<String, Versioned> map = new TreeMap<>();
    private final AtomicLong revision = new AtomicLong();
    private final boolean atomic;

    InMemoryClaimStore(boolean atomic) {
        this.atomic = atomic;
    }

    @Override
    public Optional<Versioned> get(String key) {
        synchronized (map) {
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
        if (atomic) {
            synchronized (map) {
                return check(key, expected) ? put(key, value) : new Conflict(Optional.ofNullable(map.get(key)));
            }
        }
        boolean ok;
        synchronized (map) {
            ok = check(key, expected);
        }
        if (!ok) {
            return Conflict.unknown();
        }
        pause();
        synchronized (map) {
            return put(key, value);
        }
    }

    private boolean check(String key, String expected) {
        var current = map.get(key);
        return expected == null ? current == null : current != null && current.version().equals(expected);
    }

    private Written put(String key, byte[] value) {
        var version = Long.toString(revision.incrementAndGet());
        map.put(key, new Versioned(key, value, version));
        return new Written(version);
    }

    private static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public DeleteResult deleteIfVersion(String key, String expectedVersion) {
        synchronized (map) {
            if (!check(key, expectedVersion)) {
                return Conflict.unknown();
            }
            map.remove(key);
            return new Deleted();
        }
    }

    @Override
    public String describe() {
        return "in-memory test store" + (atomic ? "" : " (non-atomic)");
    }
}
