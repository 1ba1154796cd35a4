package dev.berth.key.passphrase;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.BerthException;
import dev.berth.spi.IdentityException;
import dev.berth.spi.KeyProvider;
import dev.berth.spi.PluginConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassphraseKeyProviderTest {
    private static final String CONTEXT = "cluster=avax-main slot=3";

    @TempDir
    Path tmp;

    @Test
    void wrappedDataKeyUnwrapsToTheSameKeyAndHoldsNoPlaintext() throws Exception {
        var provider = provider(passphraseFile("p", "correct horse battery staple\n"));
        var dataKey = provider.newDataKey(CONTEXT);
        var plaintext = dataKey.plaintext();
        var wrapped = dataKey.wrapped();

        assertEquals(32, plaintext.length);
        assertEquals(PassphraseKeyProvider.BLOB_BYTES, wrapped.length);
        assertEquals(PassphraseKeyProvider.VERSION, wrapped[0]);
        assertFalse(contains(wrapped, plaintext), "the wrapped blob must not hold the data key in plaintext");
        assertFalse(contains(wrapped, Arrays.copyOf(plaintext, 8)), "not even a part of it");
        assertArrayEquals(plaintext, provider.unwrap(wrapped, CONTEXT));
        assertEquals("DataKey[256 bits]", dataKey.toString());
        dataKey.destroy();
    }

    @Test
    void wrongPassphraseFailsCleanlyWithoutKeyBytes() throws Exception {
        var dataKey = provider(passphraseFile("right", "right passphrase")).newDataKey(CONTEXT);
        var other = provider(passphraseFile("wrong", "wrong passphrase"));

        var e = assertThrows(IdentityException.class, () -> other.unwrap(dataKey.wrapped(), CONTEXT));
        assertTrue(e.getMessage().startsWith("wrong passphrase or the backup is not for " + CONTEXT), e.getMessage());
        assertFalse(e.getMessage().contains(HexFormat.of().formatHex(dataKey.plaintext()).substring(0, 8)));
        assertFalse(e.getMessage().contains("wrong passphrase\""), "never echoes the passphrase");
    }

    @Test
    void blobForAnotherSlotDoesNotUnwrap() throws Exception {
        var provider = provider(passphraseFile("p", "shared"));
        var wrapped = provider.newDataKey(CONTEXT).wrapped();
        var e = assertThrows(IdentityException.class, () -> provider.unwrap(wrapped, "cluster=avax-main slot=4"));
        assertTrue(e.getMessage().contains("slot=4"), e.getMessage());
    }

    @Test
    void truncatedOrUnknownVersionBlobIsRefusedWithoutDerivingAKey() throws Exception {
        var provider = provider(passphraseFile("p", "shared"));
        var wrapped = provider.newDataKey(CONTEXT).wrapped();
        var truncated = assertThrows(IdentityException.class,
                () -> provider.unwrap(Arrays.copyOf(wrapped, wrapped.length - 1), CONTEXT));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
        var future = wrapped.clone();
        future[0] = 9;
        var version = assertThrows(IdentityException.class, () -> provider.unwrap(future, CONTEXT));
        assertTrue(version.getMessage().contains("version byte 9"), version.getMessage());
    }

    @Test
    void twoDataKeysDifferAndUseFreshSalts() throws Exception {
        var provider = provider(passphraseFile("p", "shared"));
        var a = provider.newDataKey(CONTEXT);
        var b = provider.newDataKey(CONTEXT);
        assertFalse(Arrays.equals(a.plaintext(), b.plaintext()));
        assertNotEquals(HexFormat.of().formatHex(a.wrapped(), 1, 17), HexFormat.of().formatHex(b.wrapped(), 1, 17));
    }

    @Test
    void groupReadablePassphraseFileIsRefused() throws Exception {
        var file = passphraseFile("p", "shared");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        var e = assertThrows(IdentityException.class, () -> provider(file).newDataKey(CONTEXT));
        assertTrue(e.getMessage().contains("chmod 600 " + file), e.getMessage());
    }

    @Test
    void missingOrEmptyPassphraseFileAndMissingSettingSayWhatToDo() throws Exception {
        var missing = assertThrows(IdentityException.class,
                () -> provider(tmp.resolve("nope")).newDataKey(CONTEXT));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        var empty = assertThrows(IdentityException.class,
                () -> provider(passphraseFile("e", "\n")).newDataKey(CONTEXT));
        assertTrue(empty.getMessage().contains("is empty"), empty.getMessage());
        var unset = assertThrows(BerthException.class,
                () -> new PassphraseKeyProviderFactory().create(PluginConfig.empty("backup.key")));
        assertTrue(unset.getMessage().contains("backup.key.file"), unset.getMessage());
    }

    @Test
    void keyReferenceNamesTheFileNotTheSecret() throws Exception {
        var file = passphraseFile("p", "s3cret");
        var provider = provider(file);
        assertEquals("passphrase:" + file, provider.keyReference());
        assertEquals("passphrase", new PassphraseKeyProviderFactory().name());
    }

    private KeyProvider provider(Path file) {
        return new PassphraseKeyProviderFactory().create(new PluginConfig("backup.key", Map.of("file", file.toString())));
    }

    private Path passphraseFile(String name, String content) throws Exception {
        var file = tmp.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }
}
