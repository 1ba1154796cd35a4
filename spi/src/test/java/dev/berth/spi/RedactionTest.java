package dev.berth.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void secretKeysAreNamedByOneRule() {
        for (var key : new String[] {"password", "passwordFile", "secretAccessKey", "sessionToken", "passphrase",
                "credentials", "privateKey", "apiKey", "tls-key", "auth"}) {
            assertTrue(Redaction.isSecret(key), key);
        }
        for (var key : new String[] {"accessKeyId", "keyId", "region", "user", "file", "lease-ttl-millis", "publicKey",
                "gcKeep", "endpoint"}) {
            assertFalse(Redaction.isSecret(key), key);
        }
    }

    @Test
    void pluginConfigToStringHidesSecretValues() {
        var text = new PluginConfig("storeSettings", Map.of("password", "hunter2-pw", "user", "bob",
                "secretAccessKey", "wJalr-secret", "sessionToken", "tok-123")).toString();
        assertFalse(text.contains("hunter2-pw") || text.contains("wJalr-secret") || text.contains("tok-123"), text);
        assertTrue(text.contains("user=bob") && text.contains("password=***"), text);
    }

    @Test
    void uriPasswordsAreHidden() {
        assertEquals("etcd://user:***@host:2379/berth", Redaction.uri(URI.create("etcd://user:pw-9@host:2379/berth")));
        assertEquals("s3://***@bucket/p", Redaction.uri("s3://AKIATOKEN@bucket/p"));
        assertEquals("etcd://h:2379/p?user=u&password=***&tls=true",
                Redaction.uri("etcd://h:2379/p?user=u&password=pw-9&tls=true"));
        assertEquals("file:///var/lib/berth/store", Redaction.uri("file:///var/lib/berth/store"));
    }

    @Test
    void anUnknownKeyIsNamedWithTheClosestKnownOne() {
        var config = new PluginConfig("providerSettings", Map.of("lease-ttl-milis", "100"));
        var e = assertThrows(ConfigException.class, () -> config.requireOnly(Set.of("lease-ttl-millis", "zone")));
        assertTrue(e.getMessage().contains("'providerSettings.lease-ttl-milis'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'providerSettings.lease-ttl-millis'"), e.getMessage());
        config.requireOnly(Set.of("lease-ttl-milis"));
    }

    @Test
    void aBadNumberNeverEchoesASecretValue() {
        var e = assertThrows(ConfigException.class,
                () -> new PluginConfig("s", Map.of("token", "abc-secret")).getInt("token", 1));
        assertFalse(e.getMessage().contains("abc-secret"), e.getMessage());
    }
}
