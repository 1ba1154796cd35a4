package dev.berth.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.CloudException;
import dev.berth.spi.IdentityException;
import dev.berth.spi.KeyProvider;
import dev.berth.spi.PluginConfig;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** KeyProvider "kms" against moto's KMS. */
class KmsKeyProviderMotoTest {
    private static String keyArn;

    @BeforeAll
    static void createKey() {
        try (var kms = MotoWorld.kms()) {
            keyArn = kms.createKey(r -> r.description("berth test")).keyMetadata().arn();
        }
    }

    private static KeyProvider provider(String keyId) {
        // no region setting: taken from the key ARN
        return new KmsKeyProviderFactory().create(new PluginConfig("keys", java.util.Map.of(
                "keyId", keyId, "endpoint", MotoWorld.endpoint().toString(),
                "accessKeyId", "testing", "secretAccessKey", "testing")));
    }

    private static KeyProvider providerInRegion(String keyId) {
        return new KmsKeyProviderFactory().create(new PluginConfig("keys", java.util.Map.of(
                "keyId", keyId, "endpoint", MotoWorld.endpoint().toString(), "region", "us-east-1",
                "accessKeyId", "testing", "secretAccessKey", "testing")));
    }

    @Test
    void wrapsAndUnwrapsWithTheSameContext() {
        var keys = provider(keyArn);
        assertEquals("kms:" + keyArn, keys.keyReference());
        var key = keys.newDataKey("cluster-a/slot-3");
        assertEquals(32, key.plaintext().length);
        assertFalse(key.toString().contains(HexFormat.of().formatHex(key.plaintext())));
        assertArrayEquals(key.plaintext(), keys.unwrap(key.wrapped(), "cluster-a/slot-3"));
        key.destroy();
    }

    @Test
    void aWrongContextIsAnIdentityErrorWithoutKeyBytes() {
        var keys = provider(keyArn);
        var key = keys.newDataKey("cluster-a/slot-3");
        var e = assertThrows(IdentityException.class, () -> keys.unwrap(key.wrapped(), "cluster-a/slot-4"));
        assertTrue(e.getMessage().contains("could not unwrap the backup's data key for 'cluster-a/slot-4'"), e.getMessage());
        assertFalse(e.getMessage().contains(HexFormat.of().formatHex(key.plaintext())));
    }

    @Test
    void anUnknownKeyIsNotFoundNamingIt() {
        var keys = provider("arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000");
        var e = assertThrows(CloudException.class, () -> keys.newDataKey("c/s"));
        assertEquals(CloudException.Reason.NOT_FOUND, e.reason());
        assertTrue(e.getMessage().contains("kms:GenerateDataKey"), e.getMessage());
    }

    @Test
    void aBackupMadeThroughAnAliasNamesTheKeyArnAndOpensAfterTheAliasIsRepointed() {
        String alias = "alias/berth-repointed-" + System.nanoTime();
        String otherArn;
        try (var kms = MotoWorld.kms()) {
            kms.createAlias(r -> r.aliasName(alias).targetKeyId(keyArn));
            otherArn = kms.createKey(r -> r.description("berth test, the alias's next key")).keyMetadata().arn();
        }
        var keys = providerInRegion(alias);
        var key = keys.newDataKey("cluster-a/slot-3");
        assertEquals("kms:" + keyArn, keys.keyReference(), "the backup's header names the key, not the alias");
        try (var kms = MotoWorld.kms()) {
            kms.updateAlias(r -> r.aliasName(alias).targetKeyId(otherArn));
        }
        var later = providerInRegion(alias);
        assertArrayEquals(key.plaintext(), later.unwrap(key.wrapped(), "cluster-a/slot-3"));
        key.destroy();
    }

    @Test
    void aDataKeyWrappedBeforeTheArnWasKeptStillOpens() {
        try (var kms = MotoWorld.kms()) {
            var made = kms.generateDataKey(r -> r.keyId(keyArn).keySpec("AES_256")
                    .encryptionContext(java.util.Map.of(KmsKeyProvider.CONTEXT_KEY, "cluster-a/slot-3")));
            assertArrayEquals(made.plaintext().asByteArray(),
                    provider(keyArn).unwrap(made.ciphertextBlob().asByteArray(), "cluster-a/slot-3"));
        }
    }
}
