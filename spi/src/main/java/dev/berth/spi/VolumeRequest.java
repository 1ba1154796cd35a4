package dev.berth.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A volume to create. {@code clientToken} makes the call idempotent (at most 64 characters,
 * as EC2 allows); {@code snapshotId} seeds it from a snapshot.
 */
public record VolumeRequest(
        String zone,
        int sizeGiB,
        String volumeType,
        OptionalInt iops,
        OptionalInt throughputMiBps,
        boolean encrypted,
        Optional<String> kmsKeyId,
        Optional<String> snapshotId,
        Map<String, String> tags,
        String clientToken) {

    public static final int MAX_CLIENT_TOKEN_LENGTH = 64;

    public VolumeRequest {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(volumeType, "volumeType");
        tags = Map.copyOf(tags);
        if (sizeGiB <= 0) {
            throw new IllegalArgumentException("volume size must be positive, got " + sizeGiB + " GiB");
        }
        if (clientToken == null || clientToken.isEmpty() || clientToken.length() > MAX_CLIENT_TOKEN_LENGTH) {
            throw new IllegalArgumentException("client token must have 1 to 64 characters, got '" + clientToken + "'");
        }
    }
}
