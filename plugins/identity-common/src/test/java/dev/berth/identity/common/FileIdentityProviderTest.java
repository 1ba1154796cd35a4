package dev.berth.identity.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.IdentityBundle;
import dev.berth.spi.IdentityException;
import dev.berth.spi.IdentityState;
import dev.berth.spi.NodeIdentity;
import dev.berth.spi.PluginConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileIdentityProviderTest {
    @TempDir
    Path dir;

    /** A toy identity: toy.key holds a secret, toy.pub must be its reverse. */
    static final class Toy extends FileIdentityProvider {
        Toy() {
            super("toy", List.of("toy.key", "toy.pub"), Set.of("toy.key"),
                    SecureFiles.fromConfig(PluginConfig.empty("identity")));
        }

        @Override
        protected Map<String, byte[]> newFiles() {
            var secret = SecureFiles.randomBytes(8);
            var files = new LinkedHashMap<String, byte[]>();
            files.put("toy.key", secret);
            files.put("toy.pub", reversed(secret));
            return files;
        }

        @Override
        protected NodeIdentity validate(Map<String, byte[]> files, String origin) {
            if (!Arrays.equals(reversed(files.get("toy.key")), files.get("toy.pub"))) {
                throw new IdentityException(describe("toy.pub", origin) + " does not match toy.key");
            }
            return new NodeIdentity("toy", "toy-" + files.get("toy.pub").length, Fingerprints.sha256Hex(files.get("toy.pub")));
        }

        @Override
        public NodeIdentity inspect(Path dir) {
            throw new UnsupportedOperationException();
        }

        private static byte[] reversed(byte[] in) {
            var out = new byte[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = in[in.length - 1 - i];
            }
            return out;
        }
    }

    private final Toy toy = new Toy();

    @Test
    void emptyDirectoryIsAbsentAndGeneratedIdentityLoadsBack() {
        assertInstanceOf(IdentityState.Absent.class, toy.load(dir.resolve("none")));
        var made = toy.generate(dir);
        assertEquals(new IdentityState.Present(made), toy.load(dir));
    }

    @Test
    void partialSetNamesTheMissingFile() throws Exception {
        toy.generate(dir);
        Files.delete(dir.resolve("toy.pub"));
        var e = assertThrows(IdentityException.class, () -> toy.load(dir));
        assertTrue(e.getMessage().contains("[toy.pub] are missing"), e.getMessage());
    }

    @Test
    void generateRefusesWhenAnyFileExistsAndChangesNothing() throws Exception {
        Files.write(dir.resolve("toy.pub"), new byte[] {1});
        assertThrows(IdentityException.class, () -> toy.generate(dir));
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(dir.resolve("toy.pub")));
        assertTrue(!Files.exists(dir.resolve("toy.key")));
    }

    @Test
    void exportThenRestoreElsewhereGivesTheSameIdentity() {
        var made = toy.generate(dir.resolve("a"));
        var bundle = toy.export(dir.resolve("a"));
        try {
            assertEquals(made, toy.restore(dir.resolve("b"), bundle));
        } finally {
            bundle.destroy();
        }
        assertEquals(new IdentityState.Present(made), toy.load(dir.resolve("b")));
    }

    @Test
    void inconsistentOrIncompleteBackupWritesNothing() {
        var bad = new IdentityBundle("toy", Map.of("toy.key", new byte[] {1, 2}, "toy.pub", new byte[] {1, 2}));
        assertThrows(IdentityException.class, () -> toy.restore(dir.resolve("b"), bad));
        var truncated = new IdentityBundle("toy", Map.of("toy.key", new byte[] {1, 2}));
        var e = assertThrows(IdentityException.class, () -> toy.restore(dir.resolve("b"), truncated));
        assertTrue(e.getMessage().contains("toy.pub"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("b")), "nothing was written");
    }
}
