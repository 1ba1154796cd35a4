package dev.berth.identity.avalanche;

import dev.berth.identity.common.Fingerprints;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * BLS12-381 secret keys: KeyGen of draft-irtf-cfrg-bls-signature-05 section 2.3 (the one
 * blst's {@code KeyGen} implements and avalanchego calls with 32 random bytes and no
 * key_info), serialised as 32 big-endian bytes as blst's {@code SecretKey.Serialize} does.
 */
final class BlsKeyGen {
    /** The order r of the BLS12-381 groups. */
    static final BigInteger R = new BigInteger(
            "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16);
    static final int SECRET_KEY_BYTES = 32;
    private static final byte[] INITIAL_SALT = "BLS-SIG-KEYGEN-SALT-".getBytes(StandardCharsets.US_ASCII);
    /** L = ceil((3 * ceil(log2(r))) / 16) = 48. */
    private static final int L = 48;

    private BlsKeyGen() {
    }

    static byte[] keyGen(byte[] ikm, byte[] keyInfo) {
        if (ikm.length < 32) {
            throw new IllegalArgumentException("BLS KeyGen needs at least 32 bytes of input keying material");
        }
        var salt = INITIAL_SALT;
        var sk = BigInteger.ZERO;
        var ikmAndZero = Arrays.copyOf(ikm, ikm.length + 1); // IKM || I2OSP(0, 1)
        var info = Arrays.copyOf(keyInfo, keyInfo.length + 2); // key_info || I2OSP(L, 2)
        info[keyInfo.length + 1] = (byte) L;
        try {
            while (sk.signum() == 0) {
                salt = Fingerprints.sha256(salt);
                var prk = hmac(salt, ikmAndZero);
                var okm = expand(prk, info, L);
                sk = new BigInteger(1, okm).mod(R);
                Arrays.fill(prk, (byte) 0);
                Arrays.fill(okm, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no HmacSHA256", e);
        } finally {
            Arrays.fill(ikmAndZero, (byte) 0);
        }
        return toBytes(sk);
    }

    /** True for 32 bytes encoding 0 &lt; sk &lt; r, the keys blst's Deserialize accepts. */
    static boolean isValidSecretKey(byte[] key) {
        if (key.length != SECRET_KEY_BYTES) {
            return false;
        }
        var sk = new BigInteger(1, key);
        return sk.signum() > 0 && sk.compareTo(R) < 0;
    }

    private static byte[] toBytes(BigInteger sk) {
        var magnitude = sk.toByteArray();
        var out = new byte[SECRET_KEY_BYTES];
        int copy = Math.min(magnitude.length, SECRET_KEY_BYTES);
        System.arraycopy(magnitude, magnitude.length - copy, out, SECRET_KEY_BYTES - copy, copy);
        Arrays.fill(magnitude, (byte) 0);
        return out;
    }

    /** HKDF-Expand (RFC 5869) with HMAC-SHA256. */
    private static byte[] expand(byte[] prk, byte[] info, int length) throws GeneralSecurityException {
        var out = new byte[length];
        var block = new byte[0];
        int done = 0;
        for (int counter = 1; done < length; counter++) {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            mac.update(block);
            mac.update(info);
            mac.update((byte) counter);
            block = mac.doFinal();
            int n = Math.min(block.length, length - done);
            System.arraycopy(block, 0, out, done, n);
            done += n;
        }
        Arrays.fill(block, (byte) 0);
        return out;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no HmacSHA256", e);
        }
    }

    static byte[] keyGen(byte[] ikm) {
        return keyGen(ikm, new byte[0]);
    }
}
