package dev.berth.cli;

import dev.berth.core.claim.Ticker;

/**
 * The system ticker, adding up the time slept in bounded waits and retries (the metric of how long a claim waited)
 * and calling {@code onSleep} before each pause (the keeper's heartbeat while it watches for a termination notice).
 */
final class MeteredTicker implements Ticker {
    private final Ticker ticker;
    private final Runnable onSleep;
    private long sleptMillis;

    MeteredTicker(Ticker ticker, Runnable onSleep) {
        this.ticker = ticker;
        this.onSleep = onSleep;
    }

    long sleptMillis() {
        return sleptMillis;
    }

    @Override
    public long nowMillis() {
        return ticker.nowMillis();
    }

    @Override
    public void sleep(long millis) {
        onSleep.run();
        sleptMillis += Math.max(0, millis);
        ticker.sleep(millis);
    }

    @Override
    public long jitter(long boundMillis) {
        return ticker.jitter(boundMillis);
    }
}
