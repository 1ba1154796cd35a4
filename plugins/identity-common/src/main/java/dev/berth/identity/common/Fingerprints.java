package dev.berth.identity.common;

import dev.berth.spi.IdentityException;
import dev.berth.spi.NodeIdentity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Fingerprints: lowercase hex SHA-256 of an identity's public part. */
public final class Fingerprints {
    private Fingerprints() {
    }

    public static String sha256Hex(byte[] publicPart) {
        return HexFormat.of().formatHex(sha256(publicPart));
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /**
     * Fails when the identity found is not the one the slot recorded (DESIGN.md step 7):
     * a hard stop, never a reason to generate a new identity.
     */
    public static void requireExpected(NodeIdentity found, String expectedFingerprint, String where) {
        if (!found.fingerprint().equalsIgnoreCase(expectedFingerprint)) {
            throw new IdentityException("the " + found.kind() + " identity in " + where + " is " + found.publicName()
                    + " with fingerprint " + found.fingerprint() + ", but the slot records fingerprint "
                    + expectedFingerprint + ": this is another node's identity. Stop; put the slot's own identity "
                    + "back (berth identity restore --slot N) rather than replacing it");
        }
    }
}
