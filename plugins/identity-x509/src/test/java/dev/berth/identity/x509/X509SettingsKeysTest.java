package dev.berth.identity.x509;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.ConfigException;
import dev.berth.spi.PluginConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class X509SettingsKeysTest {

    @Test
    void aMisspeltSettingIsAnErrorNamingItNotASilentDefault() {
        var e = assertThrows(ConfigException.class, () -> new X509IdentityProviderFactory()
                .create(new PluginConfig("identity.settings", Map.of("algoritm", "rsa-2048"))));
        assertTrue(e.getMessage().contains("identity.settings.algoritm") && e.getMessage().contains("algorithm"),
                e.getMessage());
    }
}
