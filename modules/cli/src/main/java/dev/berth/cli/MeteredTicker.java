package dev.berth.cli;

import dev.berth.core.claim.Ticker;
import java.util.Map;
import java.util.TreeMap;

/**
 * The system ticker, adding up the time slept in bounded waits and retries (the metric of how long a claim waited)
 * and calling {@code onSleep} before each pause (the keeper's heartbeat while it watches for a termination notice).
 */
final class MeteredTicker implements Ticker {
    private final Ticker ticker;
    private final Runnable onSleep;
    private final Map<String, Long> sleptByKind = new TreeMap<>();

    MeteredTicker(Ticker ticker, Runnable onSleep) {
        this.ticker = ticker;
        this.onSleep = onSleep;
    }

    /** Time slept so far by kind of wait ({@link #kindOf}): what a claim waited for, and how long. */
    Map<String, Long> sleptMillisByKind() {
        return Map.copyOf(sleptByKind);
    }

    /**
     * A wait's kind from its bound key: "waits.attachSeconds" is "attach"; the retries of store and cloud calls
     * (bound {@code waits.storeSeconds}) are "retry"; an address release's wait for a lagging describe is "address".
     */
    static String kindOf(String boundKey) {
        if (boundKey.equals("waits.storeSeconds")) {
            return "retry";
        }
        if (boundKey.startsWith("waits.") && boundKey.endsWith("Seconds")) {
            return boundKey.substring("waits.".length(), boundKey.length() - "Seconds".length());
        }
        return boundKey.startsWith("the describe lag") ? "address" : "other";
    }

    @Override
    public long nowMillis() {
        return ticker.nowMillis();
    }

    @Override
    public void sleep(long millis) {
        sleep(millis, "other");
    }

    @Override
    public void sleep(long millis, String kind) {
        onSleep.run();
        sleptByKind.merge(kindOf(kind), Math.max(0, millis), Long::sum);
        ticker.sleep(millis);
    }

    @Override
    public long jitter(long boundMillis) {
        return ticker.jitter(boundMillis);
    }
}
