package dev.berth.core.claim;

import dev.berth.spi.BerthException;
import java.util.Locale;

/** Whether a slot whose volume lives in another zone may be taken, by moving the volume through a snapshot. */
public enum CrossZonePolicy {
    NEVER, SNAPSHOT;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CrossZonePolicy parse(String value) {
        for (var p : values()) {
            if (p.configName().equals(value)) {
                return p;
            }
        }
        throw new BerthException("cross-zone policy '" + value + "' is unknown: use never or snapshot");
    }
}
