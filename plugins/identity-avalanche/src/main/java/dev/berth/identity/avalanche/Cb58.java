package dev.berth.identity.avalanche;

import dev.berth.identity.common.Fingerprints;

import java.math.BigInteger;
import java.util.Arrays;

/** Avalanche's CB58: base58 (Bitcoin alphabet) of the payload followed by the last 4 bytes of its SHA-256. */
final class Cb58 {
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(58);
    private static final int CHECKSUM = 4;

    private Cb58() {
    }

    static String encode(byte[] payload) {
        var hash = Fingerprints.sha256(payload);
        var data = Arrays.copyOf(payload, payload.length + CHECKSUM);
        System.arraycopy(hash, hash.length - CHECKSUM, data, payload.length, CHECKSUM);
        return base58(data);
    }

    /** The payload; {@link IllegalArgumentException} for a bad character or checksum. */
    static byte[] decode(String text) {
        var data = unbase58(text);
        if (data.length < CHECKSUM) {
            throw new IllegalArgumentException("CB58 text is too short to hold a checksum");
        }
        var payload = Arrays.copyOf(data, data.length - CHECKSUM);
        var hash = Fingerprints.sha256(payload);
        if (!Arrays.equals(hash, hash.length - CHECKSUM, hash.length, data, payload.length, data.length)) {
            throw new IllegalArgumentException("CB58 checksum does not match: the text was mistyped or cut short");
        }
        return payload;
    }

    private static String base58(byte[] data) {
        var out = new StringBuilder();
        var n = new BigInteger(1, data);
        while (n.signum() > 0) {
            var qr = n.divideAndRemainder(BASE);
            out.append(ALPHABET.charAt(qr[1].intValue()));
            n = qr[0];
        }
        for (int i = 0; i < data.length && data[i] == 0; i++) {
            out.append(ALPHABET.charAt(0));
        }
        return out.reverse().toString();
    }

    private static byte[] unbase58(String text) {
        var n = BigInteger.ZERO;
        int zeros = 0;
        while (zeros < text.length() && text.charAt(zeros) == ALPHABET.charAt(0)) {
            zeros++;
        }
        for (int i = 0; i < text.length(); i++) {
            int digit = ALPHABET.indexOf(text.charAt(i));
            if (digit < 0) {
                throw new IllegalArgumentException("'" + text.charAt(i) + "' is not a base58 character");
            }
            n = n.multiply(BASE).add(BigInteger.valueOf(digit));
        }
        var magnitude = n.signum() == 0 ? new byte[0] : n.toByteArray();
        int skip = magnitude.length > 0 && magnitude[0] == 0 ? 1 : 0; // BigInteger's sign byte
        var out = new byte[zeros + magnitude.length - skip];
        System.arraycopy(magnitude, skip, out, zeros, magnitude.length - skip);
        return out;
    }
}
