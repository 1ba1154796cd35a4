package dev.berth.sim;

import java.util.List;

/**
 * The shape and the physics of a simulated world. Times are virtual milliseconds.
 *
 * @param staleLagMillis    how far behind describe calls may answer inside a stale-describe window
 *                          (outside one, {@link Physics#describeLag()})
 */
public record SimConfig(
        List<String> zones,
        int capacity,
        long bootMinMillis,
        long bootMaxMillis,
        long staleLagMillis,
        long hookTimeoutMillis,
        double throttleProbability,
        boolean lifecycleHook) {

    public SimConfig {
        zones = List.copyOf(zones);
    }

    public static SimConfig of(int zoneCount, int capacity) {
        var zones = new java.util.ArrayList<String>();
        for (int i = 0; i < zoneCount; i++) {
            zones.add("us-east-1" + (char) ('a' + i));
        }
        return new SimConfig(zones, capacity, 20_000, 60_000, 45_000, 300_000, 0.3, true);
    }
}
