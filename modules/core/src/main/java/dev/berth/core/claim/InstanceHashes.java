package dev.berth.core.claim;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hash of an instance id that orders the instances looking for a slot (see {@link SlotRanking}).
 * A claim hashes every seeker on every look; a caller that runs many claims over the same instances
 * (the simulator) may hand its claims one memoizing instance. The hash is a pure function of the id,
 * so both kinds answer alike.
 */
public final class InstanceHashes {
    private final Map<String, Long> memo;
    private final int max;

    private InstanceHashes(Map<String, Long> memo, int max) {
        this.memo = memo;
        this.max = max;
    }

    /** Hashes every id it is asked for. */
    public static InstanceHashes direct() {
        return new InstanceHashes(null, 0);
    }

    /** Remembers at most {@code maxIds} hashes (forgets them all when full); its memory is its own. */
    public static InstanceHashes memoizing(int maxIds) {
        if (maxIds < 1) {
            throw new IllegalArgumentException("maxIds must be at least 1, not " + maxIds);
        }
        return new InstanceHashes(new ConcurrentHashMap<>(), maxIds);
    }

    long of(String instanceId) {
        if (memo == null) {
            return SlotRanking.hash(instanceId);
        }
        var known = memo.get(instanceId);
        if (known != null) {
            return known;
        }
        if (memo.size() >= max) {
            memo.clear();
        }
        long h = SlotRanking.hash(instanceId);
        memo.put(instanceId, h);
        return h;
    }
}
