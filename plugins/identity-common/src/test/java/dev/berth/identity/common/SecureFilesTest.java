package dev.berth.identity.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.IdentityException;
import dev.berth.spi.NodeIdentity;
import dev.berth.spi.PluginConfig;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecureFilesTest {
    @TempDir
    Path tmp;

    private final SecureFiles files = SecureFiles.fromConfig(PluginConfig.empty("identity"));

    @Test
    void writtenFilesAreOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
        var dir = tmp.resolve("id");
        files.writeAll(dir, Map.of("a.key", bytes("secret"), "a.pub", bytes("public")));

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a.key"))));
        assertArrayEquals(bytes("secret"), SecureFiles.readPrivate(dir.resolve("a.key")));
        try (var list = Files.list(dir)) {
            assertEquals(2, list.count(), "no temporary files are left behind");
        }
    }

    @Test
    void groupReadableKeyFileIsRefusedWithChmodAdvice() throws Exception {
        var key = tmp.resolve("a.key");
        Files.write(key, bytes("secret"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));

        var e = assertThrows(IdentityException.class, () -> SecureFiles.readPrivate(key));
        assertTrue(e.getMessage().contains("chmod 600 " + key), e.getMessage());
        assertTrue(e.getMessage().contains("rw-r-----"), e.getMessage());
        assertTrue(!e.getMessage().contains("secret"));
    }

    @Test
    void aTargetThatAppearsMidWriteLeavesNothingOfOurs() throws Exception {
        var dir = tmp.resolve("id");
        Files.createDirectories(dir);
        Files.write(dir.resolve("b"), bytes("someone else's"));
        var content = new LinkedHashMap<String, byte[]>();
        content.put("a", bytes("one"));
        content.put("b", bytes("two"));

        assertThrows(IdentityException.class, () -> files.writeAll(dir, content));

        try (var list = Files.list(dir)) {
            assertEquals(1, list.count(), "only the pre-existing file remains");
        }
        assertArrayEquals(bytes("someone else's"), Files.readAllBytes(dir.resolve("b")));
    }

    @Test
    void unknownOwnerIsNamedInTheError() {
        var owned = SecureFiles.fromConfig(new PluginConfig("identity", Map.of("owner", "no-such-user-berth")));
        var e = assertThrows(IdentityException.class, () -> owned.writeAll(tmp.resolve("id"), Map.of("a", bytes("x"))));
        assertTrue(e.getMessage().contains("identity.owner"), e.getMessage());
        assertTrue(e.getMessage().contains("no-such-user-berth"), e.getMessage());
    }

    @Test
    void wrongFingerprintIsAHardStopNamingBoth() {
        var found = new NodeIdentity("toy", "toy-node", "aa".repeat(32));
        var e = assertThrows(IdentityException.class,
                () -> Fingerprints.requireExpected(found, "bb".repeat(32), "/data/identity"));
        assertTrue(e.getMessage().contains("aa".repeat(32)) && e.getMessage().contains("bb".repeat(32)));
        Fingerprints.requireExpected(found, "AA".repeat(32), "/data/identity");
    }

    @Test
    void sha256HexMatchesTheKnownDigestOfAbc() {
        // FIPS 180-2 appendix B.1
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                Fingerprints.sha256Hex(bytes("abc")));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
