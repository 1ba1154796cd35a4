package dev.berth.core.claim;

import java.util.ArrayList;
import java.util.List;

/** A virtual clock for tests: sleeping advances it (and is recorded), nothing waits for real. */
final class VirtualTicker implements Ticker {
    final List<Long> sleeps = new ArrayList<>();
    private long now;

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public void sleep(long millis) {
        sleeps.add(millis);
        now += Math.max(0, millis);
    }

    @Override
    public long jitter(long boundMillis) {
        return boundMillis <= 0 ? 0 : boundMillis - 1;   // the worst case: the longest pause
    }

    void advance(long millis) {
        now += millis;
    }
}
