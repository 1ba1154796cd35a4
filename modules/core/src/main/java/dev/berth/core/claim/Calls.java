package dev.berth.core.claim;

import dev.berth.spi.CloudException;
import dev.berth.spi.StoreException;
import java.util.function.Supplier;

/**
 * berth's one retry layer: every cloud and store call of a claim, a release and the keeper runs
 * through it (the AWS SDK's own retries are off, so no call is tried more often than said here).
 *
 * <ul>
 *   <li>A cloud call that failed with a {@linkplain CloudException.Reason#retryable() retryable}
 *       reason (throttled, unavailable) is tried at most {@code waits.maxCallAttempts} times.</li>
 *   <li>A store that did not answer ({@link StoreException#retryable()}) is retried until
 *       {@code waits.storeSeconds} have passed: a store is the one thing a claim cannot go on
 *       without, and at boot (every service starting at once) its first answer can be slow.</li>
 * </ul>
 *
 * Anything else is thrown as is at once. The final error names the step, the attempts made and
 * the bound, and keeps the last failure's reason so callers can still tell what it was.
 */
public final class Calls {
    private final Ticker ticker;
    private final ClaimSettings.Waits waits;
    private final ClaimLog log;
    private final BoundedWait.Bound bound;

    public Calls(Ticker ticker, ClaimSettings.Waits waits, ClaimLog log) {
        this.ticker = ticker;
        this.waits = waits;
        this.log = log;
        this.bound = BoundedWait.Bound.of("waits.storeSeconds", waits.storeMillis());
    }

    public <T> T run(String what, Supplier<T> call) {
        long start = ticker.nowMillis();
        var tries = new Tries(what);
        var first = tries.attempt(call);
        if (first instanceof BoundedWait.Poll.Done<T> done) {
            return done.value();   // most calls answer at once: the wait is built only for one that did not
        }
        return BoundedWait.forThe(() -> "an answer to '" + what + "'", ticker, log)
                .bound(bound)
                .backoff(200, 10_000)
                .onExpiry(tries::exhausted)
                .after(start, first, () -> tries.attempt(call));
    }

    public void run(String what, Runnable call) {
        run(what, () -> {
            call.run();
            return null;
        });
    }

    /** The attempts of one call: counts cloud failures, keeps the last failure for the final error. */
    private final class Tries {
        private final String what;
        private RuntimeException last;
        private int cloudFailures;

        Tries(String what) {
            this.what = what;
        }

        <T> BoundedWait.Poll<T> attempt(Supplier<T> call) {
            try {
                return BoundedWait.Poll.done(call.get());
            } catch (CloudException e) {
                if (!e.reason().retryable()) {
                    throw e;
                }
                last = e;
                if (++cloudFailures >= waits.maxCallAttempts()) {
                    throw new CloudException(e.reason(), e.resource(), what + ": failed " + cloudFailures
                            + " times (bound waits.maxCallAttempts = " + waits.maxCallAttempts() + "): " + e.getMessage(), e);
                }
                return BoundedWait.Poll.pending(e.getMessage());
            } catch (StoreException e) {
                if (!e.retryable()) {
                    throw e;
                }
                last = e;
                return BoundedWait.Poll.pending(e.getMessage());
            }
        }

        RuntimeException exhausted(BoundedWait.Expired expired) {
            long seconds = (expired.waitedMillis() + 999) / 1000;
            if (last instanceof CloudException e) {
                return new CloudException(e.reason(), e.resource(), what + ": still failing after " + expired.attempts()
                        + " attempts in " + seconds + " s (bound waits.storeSeconds = " + expired.bound().millis() / 1000
                        + " s): " + e.getMessage(), e);
            }
            return new StoreException("the claim store did not answer '" + what + "' for " + seconds + " s ("
                    + expired.attempts() + " attempts; bound waits.storeSeconds = " + expired.bound().millis() / 1000
                    + " s); last error: " + (last == null ? "none" : last.getMessage()) + ". Check that the store is up"
                    + " and reachable from this instance (berth store check --store ...), or raise waits.storeSeconds,"
                    + " then re-run", false, last);
        }
    }
}
