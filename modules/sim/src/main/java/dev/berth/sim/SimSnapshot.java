package dev.berth.sim;

import java.util.Map;

/** A simulated EBS snapshot: a copy of what the volume's disk held when it was taken. */
final class SimSnapshot {
    final String id;
    final String volumeId;
    final int sizeGiB;
    final long createdAt;
    final Map<String, String> tags;
    final String filesystem;
    final Map<String, byte[]> files;
    final String identityFingerprint;
    boolean completed;
    boolean deleted;

    SimSnapshot(String id, String volumeId, int sizeGiB, long createdAt, Map<String, String> tags, String filesystem,
                Map<String, byte[]> files, String identityFingerprint) {
        this.id = id;
        this.volumeId = volumeId;
        this.sizeGiB = sizeGiB;
        this.createdAt = createdAt;
        this.tags = tags;
        this.filesystem = filesystem;
        this.files = files;
        this.identityFingerprint = identityFingerprint;
    }
}
