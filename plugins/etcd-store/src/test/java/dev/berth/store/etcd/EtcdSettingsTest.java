package dev.berth.store.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.BerthException;
import dev.berth.spi.PluginConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdSettingsTest {
    private static final PluginConfig NONE = PluginConfig.empty("store");

    @Test
    void severalEndpointsAndAPrefix() {
        var settings = EtcdSettings.parse(URI.create("etcd://a.example:2379,b.example:2380,c.example/berth/prod"), NONE);
        assertEquals(List.of(URI.create("http://a.example:2379"), URI.create("http://b.example:2380"),
                URI.create("http://c.example:2379")), settings.endpoints());
        assertEquals("berth/prod/", settings.root());
        assertFalse(settings.tls());
    }

    @Test
    void tlsAndUserFromTheUriPasswordFromAFile(@TempDir Path dir) throws Exception {
        var file = dir.resolve("etcd-password");
        Files.writeString(file, "s3cret-value\n");
        var settings = EtcdSettings.parse(URI.create("etcd://h:2379/p?tls=true&user=berth"),
                new PluginConfig("store", Map.of("passwordFile", file.toString())));
        assertEquals(List.of(URI.create("https://h:2379")), settings.endpoints());
        assertEquals("berth", settings.user().orElseThrow());
        assertEquals("s3cret-value", new String(settings.password().orElseThrow()));
        assertFalse(settings.toString().contains("s3cret"), settings.toString());
        assertFalse(settings.describe().contains("s3cret"), settings.describe());
    }

    @Test
    void passwordInTheUriIsRefusedWithoutEchoingIt() {
        var e = assertThrows(BerthException.class,
                () -> EtcdSettings.parse(URI.create("etcd://h:2379/p?user=u&password=hunter2"), NONE));
        assertTrue(e.getMessage().contains("passwordFile"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        var userInfo = assertThrows(BerthException.class,
                () -> EtcdSettings.parse(URI.create("etcd://u:hunter2@h:2379/p"), NONE));
        assertFalse(userInfo.getMessage().contains("hunter2"), userInfo.getMessage());
    }

    @Test
    void unknownParameterAndMissingCaFileAreExplained() {
        var unknown = assertThrows(BerthException.class, () -> EtcdSettings.parse(URI.create("etcd://h/p?tsl=true"), NONE));
        assertTrue(unknown.getMessage().contains("'tsl'"), unknown.getMessage());
        var ca = assertThrows(BerthException.class, () -> EtcdSettings.parse(URI.create("etcd://h/p?tls=true"),
                new PluginConfig("store", Map.of("caFile", "/nonexistent/ca.pem"))));
        assertTrue(ca.getMessage().contains("/nonexistent/ca.pem"), ca.getMessage());
    }

    @Test
    void passwordWithoutUserIsRefused() {
        assertThrows(BerthException.class, () -> EtcdSettings.parse(URI.create("etcd://h/p"),
                new PluginConfig("store", Map.of("password", "x"))));
    }

    @Test
    void aMisspeltSettingIsAConfigErrorNamingIt() {
        var e = assertThrows(dev.berth.spi.ConfigException.class, () -> EtcdSettings.parse(URI.create("etcd://h/p"),
                new PluginConfig("storeSettings", Map.of("timeoutMilis", "100"))));
        assertTrue(e.getMessage().contains("'storeSettings.timeoutMilis'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'storeSettings.timeoutMillis'"), e.getMessage());
    }

    @Test
    void aPasswordInTheUserInfoIsHiddenButTheUserShown() {
        var e = assertThrows(BerthException.class,
                () -> EtcdSettings.parse(URI.create("etcd://berth:hunter2@h:2379/p"), NONE));
        assertTrue(e.getMessage().contains("etcd://berth:***@h:2379/p"), e.getMessage());
    }
}
