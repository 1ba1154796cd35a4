package dev.berth.key.passphrase;

import dev.berth.identity.common.SecureFiles;
import dev.berth.spi.DataKey;
import dev.berth.spi.IdentityException;
import dev.berth.spi.KeyProvider;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Wraps each backup's data key with AES-256-GCM under a key-encryption key derived from
 * the passphrase with Argon2id. The wrapped blob is
 * {@code version(1) || salt(16) || nonce(12) || ciphertext(32) || tag(16)}; version 1 means
 * Argon2id v1.3, 64 MiB, 3 iterations, 1 lane. The AAD is the version, the salt and the
 * context, so a blob only unwraps for the cluster and slot it was made for.
 */
final class PassphraseKeyProvider implements KeyProvider {
    static final byte VERSION = 1;
    static final int SALT_BYTES = 16;
    static final int NONCE_BYTES = 12;
    static final int DATA_KEY_BYTES = 32;
    static final int TAG_BITS = 128;
    static final int BLOB_BYTES = 1 + SALT_BYTES + NONCE_BYTES + DATA_KEY_BYTES + TAG_BITS / 8;
    private static final int MEMORY_KIB = 64 * 1024;
    private static final int ITERATIONS = 3;
    private static final int LANES = 1;

    private final Path file;

    PassphraseKeyProvider(Path file) {
        this.file = file;
    }

    @Override
    public String keyReference() {
        return "passphrase:" + file;
    }

    @Override
    public DataKey newDataKey(String context) {
        var dataKey = SecureFiles.randomBytes(DATA_KEY_BYTES);
        var salt = SecureFiles.randomBytes(SALT_BYTES);
        var nonce = SecureFiles.randomBytes(NONCE_BYTES);
        var kek = deriveKek(salt);
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(salt, context));
            var sealed = cipher.doFinal(dataKey);
            var blob = ByteBuffer.allocate(BLOB_BYTES).put(VERSION).put(salt).put(nonce).put(sealed).array();
            return new DataKey(dataKey, blob);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is unavailable in this JDK", e);
        } finally {
            Arrays.fill(kek, (byte) 0);
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    @Override
    public byte[] unwrap(byte[] wrappedKey, String context) {
        if (wrappedKey.length == 0 || wrappedKey[0] != VERSION) {
            throw new IdentityException("the backup's data key was wrapped by an unknown version of the passphrase "
                    + "key provider (version byte " + (wrappedKey.length == 0 ? "missing" : wrappedKey[0])
                    + "): restore it with the version of berth that made it");
        }
        if (wrappedKey.length != BLOB_BYTES) {
            throw new IdentityException("the backup's wrapped data key is " + wrappedKey.length + " bytes, not "
                    + BLOB_BYTES + ": the backup is truncated or damaged; restore from another copy");
        }
        var buffer = ByteBuffer.wrap(wrappedKey, 1, wrappedKey.length - 1);
        var salt = new byte[SALT_BYTES];
        var nonce = new byte[NONCE_BYTES];
        var sealed = new byte[DATA_KEY_BYTES + TAG_BITS / 8];
        buffer.get(salt).get(nonce).get(sealed);
        var kek = deriveKek(salt);
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(salt, context));
            return cipher.doFinal(sealed);
        } catch (AEADBadTagException e) {
            throw new IdentityException("wrong passphrase or the backup is not for " + context
                    + ": check that " + file + " holds the passphrase this backup was made with, and that you "
                    + "restore the right cluster and slot");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is unavailable in this JDK", e);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    private byte[] deriveKek(byte[] salt) {
        var passphrase = readPassphrase();
        try {
            var generator = new Argon2BytesGenerator();
            generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withMemoryAsKB(MEMORY_KIB)
                    .withIterations(ITERATIONS)
                    .withParallelism(LANES)
                    .withSalt(salt)
                    .build());
            var kek = new byte[32];
            generator.generateBytes(passphrase, kek);
            return kek;
        } finally {
            Arrays.fill(passphrase, (byte) 0);
        }
    }

    /** The file's bytes without one trailing line ending; read at each use so a rotated file is seen. */
    private byte[] readPassphrase() {
        if (!SecureFiles.exists(file)) {
            throw new IdentityException("passphrase file " + file + " does not exist: create it with mode 600 "
                    + "(e.g. 'install -m 600 /dev/null " + file + "' then write the passphrase into it), or fix "
                    + "setting 'file' of the passphrase key provider");
        }
        var content = SecureFiles.readPrivate(file);
        int end = content.length;
        if (end > 0 && content[end - 1] == '\n') {
            end--;
            if (end > 0 && content[end - 1] == '\r') {
                end--;
            }
        }
        var passphrase = Arrays.copyOf(content, end);
        Arrays.fill(content, (byte) 0);
        if (passphrase.length == 0) {
            throw new IdentityException("passphrase file " + file + " is empty: write a long random passphrase "
                    + "into it (e.g. 'openssl rand -base64 32')");
        }
        return passphrase;
    }

    private static byte[] aad(byte[] salt, String context) {
        var ctx = context.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + salt.length + ctx.length).put(VERSION).put(salt).put(ctx).array();
    }

    @Override
    public String toString() {
        return "PassphraseKeyProvider[" + keyReference() + "]";
    }
}
