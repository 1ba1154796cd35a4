package dev.berth.sim;

import dev.berth.spi.VolumeAttachment;
import dev.berth.spi.VolumeState;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A simulated EBS volume, its state over time, and what its disk holds. */
final class SimVolume {
    final String id;
    final String zone;
    int sizeGiB;
    /** The size the filesystem was made or last grown to, in GiB (0 while blank). */
    int fsSizeGiB;
    final long createdAt;
    final String snapshotId;
    final String clientToken;
    final Map<String, String> tags = new TreeMap<>();
    final Timeline<VolumeState> state = new Timeline<>();
    final Timeline<List<VolumeAttachment>> attachments = new Timeline<>();
    /** The filesystem on the disk, or null while it is blank. */
    String filesystem;
    int formats;
    final Map<String, byte[]> files = new TreeMap<>();
    String identityFingerprint;

    SimVolume(String id, String zone, int sizeGiB, long createdAt, String snapshotId, String clientToken) {
        this.id = id;
        this.zone = zone;
        this.sizeGiB = sizeGiB;
        this.createdAt = createdAt;
        this.snapshotId = snapshotId;
        this.clientToken = clientToken;
    }

    List<VolumeAttachment> attachedNow() {
        var now = attachments.now();
        return now == null ? List.of() : now;
    }
}
