package dev.berth.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.BerthException;
import dev.berth.spi.PluginConfig;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class S3SettingsTest {

    @Test
    void uriGivesBucketPrefixRegionEndpointAndPathStyle() {
        var settings = S3Settings.parse(URI.create("s3://claims/berth/prod?region=eu-west-1&endpoint=http://127.0.0.1:9000&pathStyle=true"),
                PluginConfig.empty("store"));
        assertEquals("claims", settings.bucket());
        assertEquals("berth/prod/", settings.root());
        assertEquals("eu-west-1", settings.region());
        assertEquals(Optional.of(URI.create("http://127.0.0.1:9000")), settings.endpoint());
        assertTrue(settings.pathStyle());
        assertTrue(settings.accessKeyId().isEmpty(), "no keys: the SDK's default chain");
    }

    @Test
    void secretsAreNeverShown() {
        var settings = S3Settings.parse(URI.create("s3://b/p"),
                new PluginConfig("store", Map.of("accessKeyId", "AKIAEXAMPLE", "secretAccessKey", "wJalrXUtnFEMI")));
        assertFalse(settings.toString().contains("wJalrXUtnFEMI"));
        assertFalse(settings.describe().contains("AKIAEXAMPLE"));
    }

    @Test
    void credentialsInTheUriAreRefused() {
        var e = assertThrows(BerthException.class, () -> S3Settings.parse(URI.create("s3://AKIA:secret@b/p"), PluginConfig.empty("store")));
        assertFalse(e.getMessage().contains("secret@"), e.getMessage());
        assertThrows(BerthException.class, () -> S3Settings.parse(URI.create("s3://b/p?secretAccessKey=x"), PluginConfig.empty("store")));
    }

    @Test
    void halfACredentialIsRefused() {
        assertThrows(BerthException.class, () -> S3Settings.parse(URI.create("s3://b/p"),
                new PluginConfig("store", Map.of("accessKeyId", "AKIAEXAMPLE"))));
    }

    @Test
    void gcKeepOfOneIsRefused() {
        assertThrows(BerthException.class, () -> S3Settings.parse(URI.create("s3://b/p"),
                new PluginConfig("store", Map.of("gcKeep", "1"))));
    }

    @Test
    void aMisspeltSettingIsAConfigErrorNamingIt() {
        var e = assertThrows(dev.berth.spi.ConfigException.class, () -> S3Settings.parse(URI.create("s3://b/p"),
                new PluginConfig("storeSettings", java.util.Map.of("gcGraceSecond", "10"))));
        assertTrue(e.getMessage().contains("'storeSettings.gcGraceSecond'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'storeSettings.gcGraceSeconds'"), e.getMessage());
    }
}
