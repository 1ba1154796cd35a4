package dev.berth.core.claim;

import dev.berth.spi.BerthException;
import java.util.concurrent.ThreadLocalRandom;

final class SystemTicker implements Ticker {
    static final SystemTicker INSTANCE = new SystemTicker();

    @Override
    public long nowMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public void sleep(long millis) {
        try {
            Thread.sleep(Math.max(0, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException("interrupted while waiting; berth is stopping");
        }
    }

    @Override
    public long jitter(long boundMillis) {
        return boundMillis <= 0 ? 0 : ThreadLocalRandom.current().nextLong(boundMillis);
    }
}
