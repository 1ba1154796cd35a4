package dev.berth.identity.ethereum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.IdentityBundle;
import dev.berth.spi.IdentityException;
import dev.berth.spi.IdentityProvider;
import dev.berth.spi.IdentityState;
import dev.berth.spi.PluginConfig;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EthereumIdentityProviderTest {
    /** A fixed key made up for this test: not a secret, never used on a network. */
    private static final String KEY = "b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291";
    /**
     * Computed independently with python3's `cryptography` 48.0.0:
     * ec.derive_private_key(int(KEY, 16), ec.SECP256K1()).public_key()
     *   .public_bytes(X962, UncompressedPoint)[1:].hex()
     * and hashlib.sha256 of those 64 bytes for the fingerprint.
     */
    private static final String ENODE_ID = "ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd3138"
            + "7574077f301b421bc84df7266c44e9e6d569fc56be00812904767bf5ccd1fc7f";
    private static final String FINGERPRINT = "844190033963191412763f5737bd47e4c6b6713aaf9ca813c65dac29fde9b076";

    @TempDir
    Path tmp;

    private final IdentityProvider provider = new EthereumIdentityProviderFactory().create(PluginConfig.empty("identity"));

    @Test
    void enodeIdOfAFixedKeyMatchesTheIndependentlyComputedOne() throws Exception {
        writeKey(tmp, KEY);
        var identity = provider.load(tmp);
        assertEquals(new IdentityState.Present(new dev.berth.spi.NodeIdentity("ethereum", ENODE_ID, FINGERPRINT)), identity);
        assertEquals(ENODE_ID, provider.inspect(tmp).publicName());
    }

    @Test
    void trailingNewlineIsAcceptedAsGethDoes() throws Exception {
        writeKey(tmp, KEY + "\n");
        assertEquals(ENODE_ID, provider.inspect(tmp).publicName());
    }

    @Test
    void generatedKeyIsWrittenLikeGethAndLoadsBackWithTheSameEnodeId() throws Exception {
        var made = provider.generate(tmp.resolve("geth"));
        var file = tmp.resolve("geth/nodekey");
        var content = Files.readString(file, StandardCharsets.US_ASCII);
        assertTrue(content.matches("[0-9a-f]{64}"), "64 hex characters, no newline");
        assertTrue(made.publicName().matches("[0-9a-f]{128}"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(new IdentityState.Present(made), provider.load(tmp.resolve("geth")));
    }

    @Test
    void tamperedNodeKeyIsRefusedAndNothingChanges() throws Exception {
        var tampered = "z" + KEY.substring(1);
        writeKey(tmp, tampered);
        var e = assertThrows(IdentityException.class, () -> provider.load(tmp));
        assertTrue(e.getMessage().contains("nodekey in " + tmp), e.getMessage());
        assertFalse(e.getMessage().contains(KEY.substring(1, 20)), "never quotes the key");
        assertEquals(tampered, Files.readString(tmp.resolve("nodekey")));

        writeKey(tmp, KEY.substring(0, 40)); // truncated
        assertThrows(IdentityException.class, () -> provider.load(tmp));
        writeKey(tmp, "ff".repeat(32)); // above the curve order
        var e2 = assertThrows(IdentityException.class, () -> provider.load(tmp));
        assertTrue(e2.getMessage().contains("curve order"), e2.getMessage());
    }

    @Test
    void worldReadableNodeKeyIsRefused() throws Exception {
        writeKey(tmp, KEY);
        Files.setPosixFilePermissions(tmp.resolve("nodekey"), PosixFilePermissions.fromString("rw----r--"));
        var e = assertThrows(IdentityException.class, () -> provider.load(tmp));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
        assertThrows(IdentityException.class, () -> provider.inspect(tmp));
    }

    @Test
    void emptyDirectoryIsAbsentAndGenerateRefusesAnExistingKey() throws Exception {
        assertInstanceOf(IdentityState.Absent.class, provider.load(tmp));
        writeKey(tmp, KEY);
        assertThrows(IdentityException.class, () -> provider.generate(tmp));
        assertEquals(KEY, Files.readString(tmp.resolve("nodekey")));
    }

    @Test
    void backupRestoresTheSameEnodeIdAndATruncatedBackupWritesNothing() throws Exception {
        writeKey(tmp.resolve("old"), KEY);
        var bundle = provider.export(tmp.resolve("old"));
        try {
            assertEquals(ENODE_ID, provider.restore(tmp.resolve("new"), bundle).publicName());
        } finally {
            bundle.destroy();
        }
        var truncated = new IdentityBundle("ethereum",
                Map.of("nodekey", KEY.substring(0, 31).getBytes(StandardCharsets.US_ASCII)));
        var e = assertThrows(IdentityException.class, () -> provider.restore(tmp.resolve("other"), truncated));
        assertTrue(e.getMessage().contains("nodekey in the backup"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("other")));
        var wrongKind = new IdentityBundle("avalanche", Map.of("nodekey", KEY.getBytes(StandardCharsets.US_ASCII)));
        assertThrows(IdentityException.class, () -> provider.restore(tmp.resolve("other"), wrongKind));
        assertFalse(Files.exists(tmp.resolve("other")));
    }

    private static void writeKey(Path dir, String content) throws Exception {
        Files.createDirectories(dir);
        var file = dir.resolve("nodekey");
        Files.writeString(file, content, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
