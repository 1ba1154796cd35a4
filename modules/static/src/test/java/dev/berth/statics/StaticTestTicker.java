package dev.berth.statics;

import dev.berth.core.claim.Ticker;

/** A virtual clock for tests: sleeping advances it, nothing waits for real. */
final class StaticTestTicker implements Ticker {
    private long now;

    StaticTestTicker(long startMillis) {
        this.now = startMillis;
    }

    @Override
    public synchronized long nowMillis() {
        return now;
    }

    @Override
    public synchronized void sleep(long millis) {
        now += Math.max(0, millis);
    }

    @Override
    public long jitter(long boundMillis) {
        return 0;
    }

    synchronized void advance(long millis) {
        now += millis;
    }
}
