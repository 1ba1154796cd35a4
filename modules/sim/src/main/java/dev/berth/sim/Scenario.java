package dev.berth.sim;

import dev.berth.spi.BerthException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The stories a simulation can tell. */
public enum Scenario {
    /** Every node of an empty group boots at once. */
    MASS_BOOT,
    /** The fleet converges, then every instance is replaced, a batch at a time (launch first). */
    INSTANCE_REFRESH,
    /** The fleet converges, then one zone fails for 30 minutes and comes back. */
    ZONE_OUTAGE,
    /** The fleet converges, scales in by 5, then back out. */
    SCALE_IN,
    /** Everything at once: crashes at random SPI calls, stale describes, throttling, slow store, terminations. */
    CHAOS,
    /** A replayable list of steps ({@code --plan}), as the property tests generate and the shrinker cuts down. */
    PLAN;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Scenario parse(String name) {
        for (var s : values()) {
            if (s.cliName().equals(name)) {
                return s;
            }
        }
        throw new BerthException("unknown scenario '" + name + "': use one of "
                + Arrays.stream(values()).map(Scenario::cliName).collect(Collectors.joining(", ")));
    }
}
