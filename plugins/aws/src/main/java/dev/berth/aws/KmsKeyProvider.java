package dev.berth.aws;

import dev.berth.spi.DataKey;
import dev.berth.spi.IdentityException;
import dev.berth.spi.KeyProvider;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;

/**
 * KeyProvider "kms": envelope encryption with {@code GenerateDataKey} (AES-256) and
 * {@code Decrypt}, the context bound as the encryption context {@code {"berth:context": context}}.
 * The wrapped key keeps the ARN of the key that made it (GenerateDataKey's answer), and Decrypt
 * names that key: a backup made through an alias still opens after the alias is repointed.
 * Key bytes never reach a log line or a message.
 */
final class KmsKeyProvider implements KeyProvider, AutoCloseable {
    static final String CONTEXT_KEY = "berth:context";

    private final String keyId;
    private final java.util.function.Supplier<KmsClient> client;
    private KmsClient kms;
    /** The ARN behind {@link #keyId} as the last GenerateDataKey answered it, for the backup's header. */
    private volatile String lastKeyArn;

    KmsKeyProvider(String keyId, KmsClient kms) {
        this(keyId, () -> kms);
    }

    /**
     * With a client made at first use: its region may come from IMDS, which answers only once the
     * instance is up, and that first call then runs inside berth's retry layer, not at start-up.
     */
    KmsKeyProvider(String keyId, java.util.function.Supplier<KmsClient> client) {
        this.keyId = keyId;
        this.client = client;
    }

    @Override
    public String keyReference() {
        var arn = lastKeyArn;
        return "kms:" + (arn != null ? arn : keyId);
    }

    @Override
    public DataKey newDataKey(String context) {
        try {
            var response = kms().generateDataKey(r -> r.keyId(keyId).keySpec(DataKeySpec.AES_256)
                    .encryptionContext(Map.of(CONTEXT_KEY, context)));
            byte[] plaintext = response.plaintext().asByteArray();
            try {
                lastKeyArn = response.keyId();
                var wrapped = new KmsWrappedKey(Optional.of(response.keyId()),
                        response.ciphertextBlob().asByteArray());
                return new DataKey(plaintext, wrapped.encode());
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
        } catch (SdkException e) {
            throw AwsFailures.translate("kms:GenerateDataKey", keyId, "generate a data key with KMS key " + keyId
                    + " for " + context, e);
        }
    }

    @Override
    public byte[] unwrap(byte[] wrappedKey, String context) {
        var wrapped = KmsWrappedKey.decode(wrappedKey);
        // a key kept from before the ARN was stored: a configured key ARN still checks it, an alias may have moved
        var decryptWith = wrapped.keyArn().or(() -> Optional.of(keyId).filter(k -> k.contains(":key/")));
        try {
            var response = kms().decrypt(r -> {
                decryptWith.ifPresent(r::keyId);
                r.ciphertextBlob(SdkBytes.fromByteArray(wrapped.ciphertext()))
                        .encryptionContext(Map.of(CONTEXT_KEY, context));
            });
            return response.plaintext().asByteArray();
        } catch (InvalidCiphertextException | IncorrectKeyException e) {
            throw new IdentityException("KMS key " + decryptWith.orElse(keyId) + " could not unwrap the backup's data key"
                    + " for '" + context + "': the backup was made for another cluster or slot, or with another key, or it was altered;"
                    + " restore the backup that belongs to '" + context + "' or check the setting 'keyId'", e);
        } catch (SdkException e) {
            var key = decryptWith.orElse(keyId);
            throw AwsFailures.translate("kms:Decrypt", key, "unwrap a data key with KMS key " + key + " for " + context, e);
        }
    }

    @Override
    public void close() {
        if (kms != null) {
            kms.close();
        }
    }

    @Override
    public String toString() {
        return "KmsKeyProvider[" + keyId + "]";
    }

    private synchronized KmsClient kms() {
        if (kms == null) {
            kms = client.get();
        }
        return kms;
    }
}
