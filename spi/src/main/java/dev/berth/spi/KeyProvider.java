package dev.berth.spi;

/**
 * Data keys for the encrypted identity backups (envelope encryption): a fresh 256-bit key
 * per backup, stored only in wrapped form next to the ciphertext.
 */
public interface KeyProvider {

    /** A short name of the key source for the backup's header ("kms:alias/berth"), never a secret. */
    String keyReference();

    /** A new data key; {@code context} (cluster and slot) is bound to the wrapped key. */
    DataKey newDataKey(String context);

    /** The plaintext of a wrapped data key; fails with {@link IdentityException} for a wrong key or context. */
    byte[] unwrap(byte[] wrappedKey, String context);
}
