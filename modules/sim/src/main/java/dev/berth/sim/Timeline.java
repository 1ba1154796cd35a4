package dev.berth.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A value over virtual time, so that a describe call can answer as of a moment in the past. */
final class Timeline<T> {
    /** When each value took effect, ascending (unboxed: every describe of every node walks them). */
    private long[] times = new long[4];
    private final List<T> values = new ArrayList<>();

    void set(long time, T value) {
        int n = values.size();
        if (n > 0 && times[n - 1] == time) {
            values.set(n - 1, value);
            return;
        }
        if (n == times.length) {
            times = Arrays.copyOf(times, n * 2);
        }
        times[n] = time;
        values.add(value);
    }

    /** The value at {@code time}, or null before the first one. */
    T at(long time) {
        for (int i = values.size() - 1; i >= 0; i--) {
            if (times[i] <= time) {
                return values.get(i);
            }
        }
        return null;
    }

    /** When the current value took effect ({@link Long#MIN_VALUE} before the first one). */
    long since() {
        return values.isEmpty() ? Long.MIN_VALUE : times[values.size() - 1];
    }

    T now() {
        return values.isEmpty() ? null : values.getLast();
    }
}
