package dev.berth.identity.ethereum;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;

/** secp256k1 node keys: the scalar in 64 hex characters, the enode id from the public point. */
final class NodeKeys {
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    static final int KEY_BYTES = 32;

    private NodeKeys() {
    }

    /** A fresh private key: 32 random bytes, drawn again until 0 &lt; d &lt; n. */
    static byte[] generate(java.util.function.IntFunction<byte[]> random) {
        while (true) {
            var candidate = random.apply(KEY_BYTES);
            if (valid(candidate)) {
                return candidate;
            }
            Arrays.fill(candidate, (byte) 0);
        }
    }

    static boolean valid(byte[] key) {
        if (key.length != KEY_BYTES) {
            return false;
        }
        var d = new BigInteger(1, key);
        return d.signum() > 0 && d.compareTo(CURVE.getN()) < 0;
    }

    /** The 64-byte public key (x || y) without the 0x04 prefix, as the enode id carries it. */
    static byte[] publicKey(byte[] key) {
        var point = CURVE.getG().multiply(new BigInteger(1, key)).normalize();
        var uncompressed = point.getEncoded(false);
        return Arrays.copyOfRange(uncompressed, 1, uncompressed.length);
    }

    /**
     * The key in a nodekey file as geth's {@code crypto.LoadECDSA} reads it: exactly 64 hex
     * characters, optionally followed by a line ending. Empty for anything else.
     */
    static Optional<byte[]> parseFile(byte[] content) {
        int end = content.length;
        if (end > 0 && content[end - 1] == '\n') {
            end--;
            if (end > 0 && content[end - 1] == '\r') {
                end--;
            }
        }
        if (end != 2 * KEY_BYTES) {
            return Optional.empty();
        }
        var key = new byte[KEY_BYTES];
        for (int i = 0; i < KEY_BYTES; i++) {
            int hi = Character.digit(content[2 * i], 16);
            int lo = Character.digit(content[2 * i + 1], 16);
            if (hi < 0 || lo < 0) {
                Arrays.fill(key, (byte) 0);
                return Optional.empty();
            }
            key[i] = (byte) (hi << 4 | lo);
        }
        return Optional.of(key);
    }

    /** 64 lowercase hex characters and no newline, as geth's {@code crypto.SaveECDSA} writes. */
    static byte[] toFile(byte[] key) {
        var out = new byte[2 * KEY_BYTES];
        var digits = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < KEY_BYTES; i++) {
            out[2 * i] = digits[(key[i] >> 4) & 0xf];
            out[2 * i + 1] = digits[key[i] & 0xf];
        }
        return out;
    }
}
