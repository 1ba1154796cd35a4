package dev.berth.fs.linux;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.ConfigException;
import dev.berth.spi.PluginConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinuxFsSettingsTest {

    @Test
    void aMisspeltSettingIsAConfigErrorNamingIt() {
        var e = assertThrows(ConfigException.class, () -> LinuxFsSettings.from(
                new PluginConfig("devices.settings", Map.of("commandTimeoutSecond", "10"))));
        assertTrue(e.getMessage().contains("'devices.settings.commandTimeoutSecond'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'devices.settings.commandTimeoutSeconds'"), e.getMessage());
    }
}
