package dev.berth.sim;

import dev.berth.spi.Conflict;
import dev.berth.spi.DeleteResult;
import dev.berth.spi.Deleted;
import dev.berth.spi.Versioned;
import dev.berth.spi.WriteResult;
import dev.berth.spi.Written;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The simulated claim store: linearizable by construction, since the scheduler applies one
 * operation at a time. Versions come from one counter and never repeat. Thread-safe too, so the
 * store contract kit can race it from many threads.
 */
final class SimStore implements dev.berth.spi.ClaimStore {
    private final TreeMap<String, Versioned> data = new TreeMap<>();
    private long counter;
    /** The answer of the last list, kept until the next change: every claim lists the same prefix again and again. */
    private String listedPrefix;
    private List<Versioned> listed;

    @Override
    public synchronized Optional<Versioned> get(String key) {
        return Optional.ofNullable(data.get(key));
    }

    @Override
    public synchronized List<Versioned> list(String prefix) {
        if (listed != null && prefix.equals(listedPrefix)) {
            return listed;
        }
        var result = new ArrayList<Versioned>();
        for (var e : data.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            result.add(e.getValue());
        }
        listedPrefix = prefix;
        listed = java.util.Collections.unmodifiableList(result);
        return listed;
    }

    @Override
    public synchronized WriteResult putIfAbsent(String key, byte[] value) {
        var current = data.get(key);
        if (current != null) {
            return new Conflict(Optional.of(current));
        }
        return write(key, value);
    }

    @Override
    public synchronized WriteResult compareAndSet(String key, String expected, byte[] value) {
        var current = data.get(key);
        if (current == null || !current.version().equals(expected)) {
            return new Conflict(Optional.ofNullable(current));
        }
        return write(key, value);
    }

    @Override
    public synchronized DeleteResult deleteIfVersion(String key, String expected) {
        var current = data.get(key);
        if (current == null || !current.version().equals(expected)) {
            return new Conflict(Optional.ofNullable(current));
        }
        data.remove(key);
        listed = null;
        return new Deleted();
    }

    @Override
    public String describe() {
        return "sim://store";
    }

    /** Writes without a condition: only for seeding a world (and the hostile-record tests). */
    synchronized void seed(String key, byte[] value) {
        write(key, value);
    }

    private Written write(String key, byte[] value) {
        var version = Long.toString(++counter);
        data.put(key, new Versioned(key, value, version));
        listed = null;
        return new Written(version);
    }
}
