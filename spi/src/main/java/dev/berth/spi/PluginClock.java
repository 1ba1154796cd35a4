package dev.berth.spi;

/**
 * Time as berth runs it: the wall clock in production, a virtual clock in the simulator. A
 * plugin that waits sleeps through {@link #sleep} and jitters through {@link #jitter}, so a
 * simulated run stays the same step for step for one seed.
 */
public interface PluginClock {

    long nowMillis();

    void sleep(long millis);

    /** A random duration in [0, boundMillis). */
    long jitter(long boundMillis);
}
