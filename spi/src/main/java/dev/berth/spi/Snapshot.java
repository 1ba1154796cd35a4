package dev.berth.spi;

import java.util.Map;

/**
 * A snapshot of a volume, used to move a slot's data to another zone. {@code sizeGiB} is the
 * size of the volume it was taken from: a volume created from it must be at least as large.
 */
public record Snapshot(String snapshotId, String volumeId, SnapshotState state, int progressPercent, int sizeGiB,
                       Map<String, String> tags) {

    public Snapshot {
        tags = Map.copyOf(tags);
    }
}
