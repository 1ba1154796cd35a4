package dev.berth.core.claim;

import dev.berth.spi.BerthException;
import java.util.Locale;

/**
 * Whether a slot whose volume lives in another zone may be taken, and how its data moves:
 * {@code snapshot} snapshots the live volume (no data lost, but it needs the old zone to answer);
 * {@code latest-snapshot} does the same when it can, and when the old zone cannot be reached
 * builds the volume from the slot's latest periodic snapshot, if that is younger than
 * {@code snapshots.maxSnapshotAgeMinutes} (the RPO bound).
 */
public enum CrossZonePolicy {
    NEVER, SNAPSHOT, LATEST_SNAPSHOT;

    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether a slot whose volume is in another zone may be taken at all. */
    public boolean movesVolumes() {
        return this != NEVER;
    }

    public static CrossZonePolicy parse(String value) {
        for (var p : values()) {
            if (p.configName().equals(value)) {
                return p;
            }
        }
        throw new BerthException("cross-zone policy '" + value + "' is unknown: use never, snapshot or latest-snapshot");
    }
}
