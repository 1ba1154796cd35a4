package dev.berth.aws;

import dev.berth.spi.DataKey;
import dev.berth.spi.IdentityException;
import dev.berth.spi.KeyProvider;
import java.util.Arrays;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;

/**
 * KeyProvider "kms": envelope encryption with {@code GenerateDataKey} (AES-256) and
 * {@code Decrypt}, the context bound as the encryption context {@code {"berth:context": context}}.
 * Key bytes never reach a log line or a message.
 */
final class KmsKeyProvider implements KeyProvider, AutoCloseable {
    static final String CONTEXT_KEY = "berth:context";

    private final String keyId;
    private final KmsClient kms;

    KmsKeyProvider(String keyId, KmsClient kms) {
        this.keyId = keyId;
        this.kms = kms;
    }

    @Override
    public String keyReference() {
        return "kms:" + keyId;
    }

    @Override
    public DataKey newDataKey(String context) {
        try {
            var response = kms.generateDataKey(r -> r.keyId(keyId).keySpec(DataKeySpec.AES_256)
                    .encryptionContext(Map.of(CONTEXT_KEY, context)));
            byte[] plaintext = response.plaintext().asByteArray();
            try {
                return new DataKey(plaintext, response.ciphertextBlob().asByteArray());
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
        try {
            var response = kms.decrypt(r -> r.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(wrappedKey))
                    .encryptionContext(Map.of(CONTEXT_KEY, context)));
            return response.plaintext().asByteArray();
        } catch (InvalidCiphertextException | IncorrectKeyException e) {
            throw new IdentityException("KMS key " + keyId + " could not unwrap the backup's data key for '" + context
                    + "': the backup was made for another cluster or slot, or with another key, or it was altered;"
                    + " restore the backup that belongs to '" + context + "' or check the setting 'keyId'", e);
        } catch (SdkException e) {
            throw AwsFailures.translate("kms:Decrypt", keyId, "unwrap a data key with KMS key " + keyId + " for " + context, e);
        }
    }

    @Override
    public void close() {
        kms.close();
    }

    @Override
    public String toString() {
        return "KmsKeyProvider[" + keyId + "]";
    }
}
