package dev.berth.core.identity;

import dev.berth.spi.IdentityBundle;
import dev.berth.spi.IdentityException;
import dev.berth.spi.KeyProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An identity's files, encrypted for the claim store: AES-256-GCM under a fresh data key
 * from a {@link KeyProvider} (envelope encryption), with the context (cluster and slot) and
 * the identity kind bound as associated data, so a backup cannot be replayed onto another
 * slot. Text form: {@code berth-backup-v1:} + base64.
 */
public final class IdentityBackup {
    private static final String PREFIX = "berth-backup-v1:";
    private static final int MAX_FILES = 32;
    private static final int MAX_FILE_BYTES = 32 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private IdentityBackup() {
    }

    public static String seal(IdentityBundle bundle, KeyProvider keys, String context) {
        var dataKey = keys.newDataKey(context);
        byte[] plain = null;
        try {
            plain = serialize(bundle);
            var iv = new byte[12];
            RANDOM.nextBytes(iv);
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            var key = dataKey.plaintext();
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            Arrays.fill(key, (byte) 0);
            cipher.updateAAD(aad(context, bundle.kind()));
            var sealed = cipher.doFinal(plain);
            var out = new ByteArrayOutputStream();
            var data = new DataOutputStream(out);
            data.writeUTF(bundle.kind());
            data.writeUTF(keys.keyReference());
            var wrapped = dataKey.wrapped();
            data.writeInt(wrapped.length);
            data.write(wrapped);
            data.write(iv);
            data.writeInt(sealed.length);
            data.write(sealed);
            return PREFIX + Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (GeneralSecurityException | IOException e) {
            throw new IdentityException("could not encrypt the identity backup for " + context + " ("
                    + e.getClass().getSimpleName() + "): check the key provider " + keys.keyReference());
        } finally {
            dataKey.destroy();
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    public static IdentityBundle open(String text, KeyProvider keys, String context) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw corrupt(context, "it does not start with " + PREFIX);
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw corrupt(context, "it is truncated or not valid base64");
        }
        String kind;
        String keyReference;
        byte[] wrapped;
        byte[] iv = new byte[12];
        byte[] sealed;
        try (var data = new DataInputStream(new ByteArrayInputStream(raw))) {
            kind = data.readUTF();
            keyReference = data.readUTF();
            wrapped = readBlock(data, 4096);
            data.readFully(iv);
            sealed = readBlock(data, MAX_FILES * (MAX_FILE_BYTES + 300));
            if (data.available() > 0) {
                throw corrupt(context, "it has trailing bytes");
            }
        } catch (IOException e) {
            throw corrupt(context, "it is truncated");
        }
        // keyReference only says which key sealed it (a passphrase file may move; the key provider decides)
        var key = keys.unwrap(wrapped, context);
        byte[] plain = null;
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
            cipher.updateAAD(aad(context, kind));
            plain = cipher.doFinal(sealed);
            return deserialize(kind, plain, context);
        } catch (GeneralSecurityException e) {
            throw corrupt(context, "it does not decrypt (tampered with, or not the backup of " + context + ")");
        } finally {
            Arrays.fill(key, (byte) 0);
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    private static byte[] readBlock(DataInputStream data, int max) throws IOException {
        int length = data.readInt();
        if (length < 0 || length > max) {
            throw new IOException("bad length");
        }
        var block = new byte[length];
        data.readFully(block);
        return block;
    }

    /** The context (cluster and slot) and the kind are bound to the ciphertext. */
    private static byte[] aad(String context, String kind) {
        return ("berth identity backup\n" + context + "\n" + kind).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] serialize(IdentityBundle bundle) throws IOException {
        var out = new ByteArrayOutputStream();
        var data = new DataOutputStream(out);
        data.writeInt(bundle.fileNames().size());
        for (var name : bundle.fileNames()) {
            var bytes = bundle.file(name);
            data.writeUTF(name);
            data.writeInt(bytes.length);
            data.write(bytes);
            Arrays.fill(bytes, (byte) 0);
        }
        return out.toByteArray();
    }

    private static IdentityBundle deserialize(String kind, byte[] plain, String context) {
        var files = new LinkedHashMap<String, byte[]>();
        try (var data = new DataInputStream(new ByteArrayInputStream(plain))) {
            int count = data.readInt();
            if (count < 1 || count > MAX_FILES) {
                throw corrupt(context, "it lists " + count + " files");
            }
            for (int i = 0; i < count; i++) {
                var name = data.readUTF();
                if (!name.matches("[A-Za-z0-9._-]{1,64}") || name.startsWith(".")) {
                    throw corrupt(context, "it names a file that is not a plain file name");
                }
                files.put(name, readBlock(data, MAX_FILE_BYTES));
            }
            return new IdentityBundle(kind, files);
        } catch (IOException e) {
            throw corrupt(context, "its content is truncated");
        } finally {
            files.values().forEach(b -> Arrays.fill(b, (byte) 0));
        }
    }

    private static IdentityException corrupt(String context, String why) {
        return new IdentityException("identity backup of " + context + " cannot be used: " + why
                + ". Nothing was written; restore from another copy of the backup or generate a new identity on purpose");
    }
}
