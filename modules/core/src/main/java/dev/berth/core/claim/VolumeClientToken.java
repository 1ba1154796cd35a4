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

    /**
     * The token of the next creation intent, when the volume the previous token made can never
     * serve (it went to error, was deleted) or the token was used with other parameters: derived
     * from the previous one, so a crash and re-run after the new intent is recorded repeats it.
     */
    public static String next(String previous) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest((previous + "\nnext").getBytes(StandardCharsets.UTF_8));
            return "berth-" + HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
