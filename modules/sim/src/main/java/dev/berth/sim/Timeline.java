package dev.berth.sim;

import java.util.ArrayList;
import java.util.List;

/** A value over virtual time, so that a describe call can answer as of a moment in the past. */
final class Timeline<T> {
    private final List<Long> times = new ArrayList<>();
    private final List<T> values = new ArrayList<>();

    void set(long time, T value) {
        if (!times.isEmpty() && times.getLast() == time) {
            values.set(values.size() - 1, value);
            return;
        }
        times.add(time);
        values.add(value);
    }

    /** The value at {@code time}, or null before the first one. */
    T at(long time) {
        for (int i = times.size() - 1; i >= 0; i--) {
            if (times.get(i) <= time) {
                return values.get(i);
            }
        }
        return null;
    }

    T now() {
        return values.isEmpty() ? null : values.getLast();
    }
}
