package dev.berth.key.passphrase;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.ConfigException;
import dev.berth.spi.PluginConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PassphraseSettingsKeysTest {

    @Test
    void anUnknownSettingIsAnErrorNamingIt() {
        var e = assertThrows(ConfigException.class, () -> new PassphraseKeyProviderFactory()
                .create(new PluginConfig("keys.settings", Map.of("file", "/etc/berth/passphrase", "fiel", "x"))));
        assertTrue(e.getMessage().contains("keys.settings.fiel"), e.getMessage());
        assertTrue(!e.getMessage().contains("/etc/berth/passphrase"), "no value is echoed: " + e.getMessage());
    }
}
