package dev.berth.core.claim;

import dev.berth.core.slot.SlotCodec;
import java.util.Objects;

/**
 * What a claim may remember between the calls it makes: the slot codec it decodes records with and
 * the instance-id hashes it ranks slots by. A product claim runs once and remembers nothing
 * ({@link #none()}); the simulator runs thousands of claims over the same records and instances and
 * hands each of them the one {@link #memoizing()} instance of its world. Both are pure memos, so a
 * claim's outcome never depends on which it was given.
 */
public record ClaimCaches(SlotCodec codec, InstanceHashes hashes) {

    public ClaimCaches {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(hashes, "hashes");
    }

    /** Nothing remembered: a fresh codec and direct hashing. */
    public static ClaimCaches none() {
        return new ClaimCaches(new SlotCodec(), InstanceHashes.direct());
    }

    /** Bounded memos (8,192 decoded records, 100,000 ids) owned by this instance alone. */
    public static ClaimCaches memoizing() {
        return new ClaimCaches(SlotCodec.memoizing(8_192), InstanceHashes.memoizing(100_000));
    }
}
