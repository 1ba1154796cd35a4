package dev.berth.key.passphrase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.berth.core.identity.IdentityBackup;
import dev.berth.core.store.FileClaimStore;
import dev.berth.identity.ethereum.EthereumIdentityProviderFactory;
import dev.berth.spi.Conflict;
import dev.berth.spi.IdentityException;
import dev.berth.spi.IdentityProvider;
import dev.berth.spi.IdentityState;
import dev.berth.spi.KeyProvider;
import dev.berth.spi.NodeIdentity;
import dev.berth.spi.PluginConfig;
import dev.berth.spi.Written;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, "Backup → restore round trip through the local file store; a wrong passphrase
 * fails cleanly; the backup blob in the store contains no plaintext key bytes (checked)":
 * a generated Ethereum node key, sealed by core's {@link IdentityBackup} under a data key
 * from the passphrase key provider, kept in core's {@link FileClaimStore}, read back by a new
 * store instance and restored into an empty directory. The node key is read from disk only
 * to search for it; it never appears in an assertion message or on the console.
 */
class BackupRestoreThroughFileStoreTest {
    private static final String CONTEXT = "cluster c slot 0";
    private static final String KEY = "clusters/c/backups/0";

    @TempDir
    Path tmp;

    private IdentityProvider ethereum;
    private KeyProvider keys;
    private Path dirA;
    private Path storeDir;
    private NodeIdentity original;

    @BeforeEach
    void generateSealAndStore() throws Exception {
        ethereum = new EthereumIdentityProviderFactory().create(PluginConfig.empty("identity"));
        assertEquals("ethereum", new EthereumIdentityProviderFactory().kind());
        keys = provider(passphraseFile("secrets", "correct horse battery staple\n"));
        dirA = tmp.resolve("a");
        storeDir = tmp.resolve("store");
        original = ethereum.generate(dirA);
        assertInstanceOf(IdentityState.Present.class, ethereum.load(dirA));

        var bundle = ethereum.export(dirA);
        String sealed;
        try {
            sealed = IdentityBackup.seal(bundle, keys, CONTEXT);
        } finally {
            bundle.destroy();
        }
        var store = FileClaimStore.open(storeDir);
        assertInstanceOf(Written.class, store.putIfAbsent(KEY, sealed.getBytes(StandardCharsets.US_ASCII)));
        assertInstanceOf(Conflict.class, store.putIfAbsent(KEY, "other".getBytes(StandardCharsets.US_ASCII)),
                "a second backup under the same key must not overwrite the first");
    }

    @Test
    void roundTripThroughANewStoreInstanceRestoresTheSameIdentity() throws Exception {
        var text = readBackFromNewStore();
        assertTrue(text.startsWith("berth-backup-v1:"), "the stored value is a berth backup text");

        var dirB = tmp.resolve("b");
        var restored = openAndRestore(text, keys, CONTEXT, dirB);

        assertEquals("ethereum", restored.kind());
        assertEquals(original.publicName(), restored.publicName());
        assertEquals(original.fingerprint(), restored.fingerprint());
        var loaded = assertInstanceOf(IdentityState.Present.class, ethereum.load(dirB));
        assertEquals(original, loaded.identity());
        assertTrue(Arrays.equals(Files.readAllBytes(dirA.resolve("nodekey")), Files.readAllBytes(dirB.resolve("nodekey"))),
                "the restored nodekey file differs from the original (contents not shown)");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dirB.resolve("nodekey"))));
    }

    @Test
    void neitherTheStoreFilesNorTheSealedTextHoldTheKeyInAnyPlainForm() throws Exception {
        var needles = keyForms();
        var text = readBackFromNewStore();

        var haystacks = new ArrayList<byte[]>();
        haystacks.add(text.getBytes(StandardCharsets.US_ASCII));
        haystacks.add(Base64.getDecoder().decode(text.substring("berth-backup-v1:".length())));
        List<Path> storeFiles;
        try (Stream<Path> walk = Files.walk(storeDir)) {
            storeFiles = walk.filter(Files::isRegularFile).toList();
        }
        assertTrue(storeFiles.stream().anyMatch(p -> p.getFileName().toString().contains("backups")),
                "the backup's store file exists under " + storeDir);
        for (var file : storeFiles) {
            haystacks.add(Files.readAllBytes(file));
        }
        for (var haystack : haystacks) {
            for (var needle : needles) {
                assertFalse(contains(haystack, needle.bytes()),
                        "the backup in the store holds the node key as " + needle.form() + " (value not shown)");
            }
        }
    }

    @Test
    void wrongPassphraseFailsCleanlyAndWritesNothing() throws Exception {
        var text = readBackFromNewStore();
        var other = provider(passphraseFile("other", "not the passphrase\n"));
        var target = tmp.resolve("b-wrong");

        var e = assertThrows(IdentityException.class, () -> openAndRestore(text, other, CONTEXT, target));
        assertTrue(e.getMessage().contains("wrong passphrase"), "message names the wrong passphrase: " + e.getMessage());
        assertNoKeyMaterial(e.getMessage());
        assertFalse(e.getMessage().contains("correct horse") || e.getMessage().contains("not the passphrase"),
                "the message never echoes a passphrase");
        assertEmptyOrAbsent(target);
    }

    @Test
    void truncatedBackupFailsAsTruncatedAndWritesNothing() throws Exception {
        var text = readBackFromNewStore();
        var prefix = "berth-backup-v1:".length();
        // Cut the base64 payload in half on a 4-character boundary, so the decoded blob is cut too.
        int half = prefix + ((text.length() - prefix) / 2) / 4 * 4;
        var target = tmp.resolve("b-truncated");

        var e = assertThrows(IdentityException.class, () -> openAndRestore(text.substring(0, half), keys, CONTEXT, target));
        assertTrue(e.getMessage().startsWith("identity backup of " + CONTEXT + " cannot be used"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), "message names the backup as truncated: " + e.getMessage());
        assertTrue(e.getMessage().contains("Nothing was written"), e.getMessage());
        assertNoKeyMaterial(e.getMessage());
        assertEmptyOrAbsent(target);

        // Any other cut near the middle also fails as an unusable backup and writes nothing.
        for (int cut = half + 1; cut < half + 4; cut++) {
            int at = cut;
            var other = assertThrows(IdentityException.class, () -> openAndRestore(text.substring(0, at), keys, CONTEXT, target));
            assertTrue(other.getMessage().startsWith("identity backup of " + CONTEXT + " cannot be used"), other.getMessage());
            assertNoKeyMaterial(other.getMessage());
            assertEmptyOrAbsent(target);
        }
    }

    @Test
    void backupForSlot0DoesNotOpenForSlot1() throws Exception {
        var text = readBackFromNewStore();
        var target = tmp.resolve("b-slot1");

        var e = assertThrows(IdentityException.class, () -> openAndRestore(text, keys, "cluster c slot 1", target));
        assertTrue(e.getMessage().contains("cluster c slot 1"), e.getMessage());
        assertNoKeyMaterial(e.getMessage());
        assertEmptyOrAbsent(target);
    }

    // ---------------------------------------------------------------------------------------

    private String readBackFromNewStore() {
        var fresh = FileClaimStore.open(storeDir);
        var value = fresh.get(KEY).orElseThrow(() -> new AssertionError("no value under " + KEY + " in a new store instance"));
        return new String(value.value(), StandardCharsets.US_ASCII);
    }

    private NodeIdentity openAndRestore(String text, KeyProvider provider, String context, Path dir) {
        var bundle = IdentityBackup.open(text, provider, context);
        try {
            return ethereum.restore(dir, bundle);
        } finally {
            bundle.destroy();
        }
    }

    private record Needle(String form, byte[] bytes) {
    }

    /** The node key as the 32 raw bytes, its hex (as in nodekey, and upper case) and base64 at every alignment. */
    private List<Needle> keyForms() throws IOException {
        var file = Files.readAllBytes(dirA.resolve("nodekey"));
        var hex = new String(file, StandardCharsets.US_ASCII).strip();
        assertEquals(64, hex.length(), "nodekey holds 64 hex characters");
        var raw = HexFormat.of().parseHex(hex);
        var needles = new ArrayList<Needle>();
        needles.add(new Needle("32 raw bytes", raw));
        needles.add(new Needle("hex as written in nodekey", hex.getBytes(StandardCharsets.US_ASCII)));
        needles.add(new Needle("upper-case hex", hex.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII)));
        for (var encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
            var whole = encoder.withoutPadding().encodeToString(raw);
            needles.add(new Needle("base64", whole.getBytes(StandardCharsets.US_ASCII)));
            // Embedded at byte offset 1 or 2 of a longer base64 text: the quads made of key bytes only.
            for (int shift = 1; shift <= 2; shift++) {
                var padded = new byte[shift + raw.length];
                System.arraycopy(raw, 0, padded, shift, raw.length);
                var enc = encoder.withoutPadding().encodeToString(padded);
                var full = padded.length / 3 * 4;
                needles.add(new Needle("base64 at offset " + shift, enc.substring(4, full).getBytes(StandardCharsets.US_ASCII)));
            }
        }
        Arrays.fill(raw, (byte) 0);
        return needles;
    }

    private void assertNoKeyMaterial(String message) throws IOException {
        for (var needle : keyForms()) {
            assertFalse(contains(message.getBytes(StandardCharsets.UTF_8), needle.bytes()),
                    "the error message holds the node key as " + needle.form() + " (value not shown)");
        }
        var hex = new String(Files.readAllBytes(dirA.resolve("nodekey")), StandardCharsets.US_ASCII).strip();
        var lower = message.toLowerCase(Locale.ROOT);
        for (int i = 0; i + 16 <= hex.length(); i++) {
            if (lower.contains(hex.substring(i, i + 16))) {
                fail("the error message holds 16 or more hex characters of the node key (value not shown)");
            }
        }
    }

    private static void assertEmptyOrAbsent(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var entries = Files.list(dir)) {
                assertEquals(List.of(), entries.map(p -> p.getFileName().toString()).toList(),
                        "a failed restore must write nothing into " + dir);
            }
        }
    }

    private KeyProvider provider(Path file) {
        return new PassphraseKeyProviderFactory().create(new PluginConfig("backup.key", Map.of("file", file.toString())));
    }

    private Path passphraseFile(String dirName, String content) throws IOException {
        var dir = Files.createDirectories(tmp.resolve(dirName));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        var file = dir.resolve("passphrase");
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
