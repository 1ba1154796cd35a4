package dev.berth.core.claim;

import dev.berth.spi.CloudException;
import dev.berth.spi.StoreException;
import java.util.function.Supplier;

/**
 * Runs one cloud or store call with a bounded number of attempts: retryable failures
 * (throttling, an unavailable service, a store that did not answer) are retried after a
 * jittered exponential backoff; anything else, or the last failure, is thrown as is.
 */
final class Calls {
    private final Ticker ticker;
    private final int maxAttempts;

    Calls(Ticker ticker, int maxAttempts) {
        this.ticker = ticker;
        this.maxAttempts = maxAttempts;
    }

    <T> T run(String what, Supplier<T> call) {
        long backoff = 200;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (CloudException e) {
                if (!retryable(e) || attempt >= maxAttempts) {
                    throw e;
                }
            } catch (StoreException e) {
                if (!e.retryable() || attempt >= maxAttempts) {
                    throw e;
                }
            }
            ticker.sleep(backoff / 2 + ticker.jitter(backoff));
            backoff = Math.min(backoff * 2, 20_000);
        }
    }

    void run(String what, Runnable call) {
        run(what, () -> {
            call.run();
            return null;
        });
    }

    /** Throttling and unavailability are retried here; NOT_FOUND and CONFLICT mean something to the caller. */
    private static boolean retryable(CloudException e) {
        return e.reason() == CloudException.Reason.THROTTLED || e.reason() == CloudException.Reason.UNAVAILABLE;
    }
}
