package dev.berth.sim;

import java.util.random.RandomGenerator;

/**
 * A latency with a realistic heavy tail: log-normal through its median and 99th percentile,
 * cut at a maximum. Drawn from the simulation's one seeded source, so runs stay deterministic.
 * A cloud API answers in about a tenth of a second but sometimes takes seconds; an EBS
 * attachment takes seconds, a minute at p99, rarely several minutes.
 *
 * @param p50Millis the median
 * @param p99Millis the 99th percentile (at least the median)
 * @param maxMillis no draw is longer (at least the 99th percentile)
 */
record HeavyTail(long p50Millis, long p99Millis, long maxMillis) {
    /** The standard normal's 99th percentile. */
    private static final double Z99 = 2.3263478740408408;

    HeavyTail {
        if (p50Millis < 0 || p99Millis < p50Millis || maxMillis < p99Millis) {
            throw new IllegalArgumentException("need 0 <= p50 <= p99 <= max, got " + p50Millis + ", " + p99Millis + ", "
                    + maxMillis);
        }
    }

    /** Always exactly {@code millis}: what tests use to force a delay. */
    static HeavyTail fixed(long millis) {
        return new HeavyTail(millis, millis, millis);
    }

    static HeavyTail seconds(double p50, double p99, double max) {
        return new HeavyTail(Math.round(p50 * 1000), Math.round(p99 * 1000), Math.round(max * 1000));
    }

    long draw(RandomGenerator random) {
        if (p99Millis == p50Millis || p50Millis == 0) {
            return p50Millis;
        }
        double sigma = Math.log((double) p99Millis / p50Millis) / Z99;
        double x = p50Millis * Math.exp(sigma * random.nextGaussian());
        return Math.min(maxMillis, Math.max(1, Math.round(x)));
    }
}
