package dev.berth.cli;

import dev.berth.core.claim.Calls;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.Conflict;
import dev.berth.spi.Written;
import io.avaje.jsonb.Json;
import io.avaje.jsonb.Jsonb;
import java.nio.charset.StandardCharsets;

/**
 * What {@code berth store check} last found, kept in the store itself at {@value #KEY}, so that
 * every node's {@code berth claim} refuses a store found unsafe, with the check's message.
 */
@Json
record StoreVerdict(boolean safe, long checkedAtMillis, String summary) {
    static final String KEY = "berth/store-check";

    void save(ClaimStore store, Jsonb jsonb) {
        var bytes = jsonb.toJson(this).getBytes(StandardCharsets.UTF_8);
        for (int attempt = 0; attempt < 5; attempt++) {
            var current = store.get(KEY);
            var result = current.isEmpty() ? store.putIfAbsent(KEY, bytes)
                    : store.compareAndSet(KEY, current.get().version(), bytes);
            if (result instanceof Written) {
                return;
            }
            if (!(result instanceof Conflict)) {
                break;
            }
        }
        throw new dev.berth.spi.BerthException("could not record the store check's verdict at '" + KEY + "' in "
                + store.describe() + ": another check is writing it; run berth store check again");
    }

    /**
     * Fails with the check's own message when the store was found unsafe. The read goes through the
     * claim's retry layer: at boot the store's first answer may be slow, and a claim waits for it
     * (up to waits.storeSeconds) rather than fail.
     */
    static void refuseIfUnsafe(ClaimStore store, Calls calls, Jsonb jsonb) {
        var found = calls.run("read the store check verdict '" + KEY + "' in " + store.describe(), () -> store.get(KEY));
        if (found.isEmpty()) {
            return;
        }
        StoreVerdict verdict;
        try {
            verdict = jsonb.type(StoreVerdict.class).fromJson(new String(found.get().value(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new dev.berth.spi.BerthException("the store check record '" + KEY + "' in " + store.describe()
                    + " cannot be read: run berth store check --store ... again");
        }
        if (!verdict.safe()) {
            throw new dev.berth.spi.BerthException("refusing to claim on " + store.describe()
                    + ", which berth store check found unsafe:\n" + verdict.summary());
        }
    }
}
