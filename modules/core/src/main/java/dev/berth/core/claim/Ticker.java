package dev.berth.core.claim;

/**
 * Time for the claim protocol: the wall clock in production, a virtual clock in the
 * simulator. Every wait in the protocol goes through {@link #sleep}, and every jitter
 * through {@link #jitter}, so a simulated run is the same step for step for one seed.
 */
public interface Ticker extends dev.berth.spi.PluginClock {

    long nowMillis();

    void sleep(long millis);

    /**
     * A pause of a bounded wait: {@code kind} is the wait's bound key ("waits.attachSeconds"), so that a
     * ticker that meters time can say what the time was waited for. The same as {@link #sleep(long)} here.
     */
    default void sleep(long millis, String kind) {
        sleep(millis);
    }

    /** A random duration in [0, boundMillis). */
    long jitter(long boundMillis);

    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}
