package dev.berth.aws;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.ConfigException;
import dev.berth.spi.PluginConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsSettingsTest {

    @Test
    void aMisspeltSettingIsAConfigErrorNamingIt() {
        var e = assertThrows(ConfigException.class, () -> AwsSettings.parse(
                new PluginConfig("providerSettings", Map.of("regoin", "us-east-1"))));
        assertTrue(e.getMessage().contains("'providerSettings.regoin'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'providerSettings.region'"), e.getMessage());
    }

    @Test
    void badValuesAreConfigErrorsThatNeverShowTheSecret() {
        var e = assertThrows(ConfigException.class, () -> AwsSettings.parse(
                new PluginConfig("providerSettings", Map.of("secretAccessKey", "wJalr-test-secret"))));
        assertTrue(e.getMessage().contains("accessKeyId"), e.getMessage());
        assertFalse(e.getMessage().contains("wJalr-test-secret"), e.getMessage());
        assertThrows(ConfigException.class, () -> AwsSettings.parse(
                new PluginConfig("providerSettings", Map.of("timeoutMillis", "0"))));
    }

    @Test
    void theRetiredRetrySettingsAreRefusedWithWhatToSetInstead() {
        for (var key : new String[] {"maxAttempts", "imdsAttempts"}) {
            var e = assertThrows(ConfigException.class, () -> AwsSettings.parse(
                    new PluginConfig("providerSettings", Map.of(key, "5"))));
            assertTrue(e.getMessage().contains("providerSettings." + key) && e.getMessage().contains("waits.maxCallAttempts"),
                    e.getMessage());
        }
    }
}
