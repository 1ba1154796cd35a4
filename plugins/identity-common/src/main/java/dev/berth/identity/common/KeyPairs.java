package dev.berth.identity.common;

import dev.berth.spi.IdentityException;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** Checks that a private key belongs to a public key (a certificate's), by signing a random challenge. */
public final class KeyPairs {
    private KeyPairs() {
    }

    /** The JCA signature algorithm berth uses with this kind of key. */
    public static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new IdentityException("berth does not support " + key.getAlgorithm()
                    + " keys: use an RSA, ECDSA or Ed25519 key");
        };
    }

    /** Fails unless {@code key} is the private half of {@code publicKey}. */
    public static void requireMatch(PrivateKey key, PublicKey publicKey, String keyFile, String publicFile) {
        boolean match;
        try {
            var challenge = SecureFiles.randomBytes(32);
            var signer = Signature.getInstance(signatureAlgorithm(key));
            signer.initSign(key);
            signer.update(challenge);
            var signature = signer.sign();
            var verifier = Signature.getInstance(signatureAlgorithm(key));
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            match = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            match = false;
        }
        if (!match) {
            throw new IdentityException(keyFile + " is not the private key of " + publicFile
                    + ": one of the two was replaced or damaged. Restore both from the same backup; never "
                    + "generate a new key for an existing node");
        }
    }
}
