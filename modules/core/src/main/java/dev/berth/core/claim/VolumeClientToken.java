package dev.berth.core.claim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The idempotency token of a slot's volume creation: derived from (cluster, slot, zone,
 * epoch), so a crash and re-run repeats the same CreateVolume instead of making a second
 * volume. 46 characters, within EC2's 64.
 */
public final class VolumeClientToken {
    private VolumeClientToken() {
    }

    public static String of(String cluster, int slot, String zone, long epoch) {
        try {
            var digest = MessageDigest.getInstance("SHA-256")
                    .digest((cluster + "\n" + slot + "\n" + zone + "\n" + epoch).getBytes(StandardCharsets.UTF_8));
            return "berth-" + HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
