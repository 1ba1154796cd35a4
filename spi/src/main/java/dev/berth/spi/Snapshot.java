package dev.berth.spi;

import java.util.Map;

/** A snapshot of a volume, used to move a slot's data to another zone. */
public record Snapshot(String snapshotId, String volumeId, SnapshotState state, int progressPercent, Map<String, String> tags) {

    public Snapshot {
        tags = Map.copyOf(tags);
    }
}
