package dev.berth.identity.avalanche;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.identity.common.CertificateDer;
import dev.berth.identity.common.Pem;
import dev.berth.spi.IdentityBundle;
import dev.berth.spi.IdentityException;
import dev.berth.spi.IdentityProvider;
import dev.berth.spi.IdentityState;
import dev.berth.spi.PluginConfig;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AvalancheIdentityProviderTest {
    /** avalanchego staking/local/staker1.crt: a public test certificate, committed without its key. */
    private static final Path STAKER1 = Path.of("src/test/resources/avalanchego/staker1.crt");

    @TempDir
    Path tmp;

    private final IdentityProvider fast = new AvalancheIdentityProviderFactory()
            .create(new PluginConfig("identity", Map.of("tls-key-algorithm", "ecdsa-p256")));

    @Test
    void nodeIdOfAvalanchegoLocalStaker1MatchesItsPublishedNodeIdFromTheCertificateAlone() throws Exception {
        Files.copy(STAKER1, tmp.resolve("staker.crt"));
        var identity = fast.inspect(tmp);
        // NodeID published in avalanchego staking/local/README.md and genesis/genesis_local.json.
        assertEquals("NodeID-7Xhw2mDxuDS44j42TCB6U5579esbSt3Lg", identity.publicName());
        // `openssl x509 -in staker1.crt -outform der | sha256sum`
        assertEquals("1e6fd5d2648edf29d3e922e987d969e78ee6fa6ea36b9d3a688db24244192e1f", identity.fingerprint());
        assertEquals("avalanche", identity.kind());
    }

    @Test
    void rsa4096IdentityIsGeneratedAsAvalanchegoDoesAndLoadsBackWithTheSameNodeId() throws Exception {
        var provider = new AvalancheIdentityProviderFactory().create(PluginConfig.empty("identity"));
        var made = provider.generate(tmp.resolve("staking"));

        assertTrue(made.publicName().startsWith("NodeID-"));
        assertEquals(new IdentityState.Present(made), provider.load(tmp.resolve("staking")));
        // Shaped like avalanchego's: serial 0, empty issuer and subject, RSA 4096, self-signed.
        var der = Pem.decode(Files.readAllBytes(tmp.resolve("staking/staker.crt")), "CERTIFICATE", "staker.crt");
        var tbs = ASN1Sequence.getInstance(ASN1Sequence.getInstance(der).getObjectAt(0));
        assertEquals(0, ASN1Integer.getInstance(tbs.getObjectAt(1)).getValue().signum());
        assertEquals(0, ASN1Sequence.getInstance(tbs.getObjectAt(3)).size(), "empty issuer");
        assertEquals(0, ASN1Sequence.getInstance(tbs.getObjectAt(5)).size(), "empty subject");
        var certificate = CertificateDer.parse(der, "staker.crt");
        assertEquals(4096, ((RSAPublicKey) certificate.publicKey("staker.crt")).getModulus().bitLength());
        assertTrue(certificate.selfIssued());
        certificate.requireIntactIfSelfIssued("staker.crt");
        assertTrue(new String(Files.readAllBytes(tmp.resolve("staking/staker.key")), StandardCharsets.US_ASCII)
                .startsWith("-----BEGIN PRIVATE KEY-----"));
        assertEquals(32, Files.size(tmp.resolve("staking/signer.key")));
        assertEquals("rw-------", mode(tmp.resolve("staking/staker.key")));
        assertEquals("rw-------", mode(tmp.resolve("staking/signer.key")));
        assertEquals("rwx------", mode(tmp.resolve("staking")));
    }

    @Test
    void emptyDirectoryIsAbsentAndPartialSetNamesWhatIsMissing() throws Exception {
        assertInstanceOf(IdentityState.Absent.class, fast.load(tmp));
        Files.copy(STAKER1, tmp.resolve("staker.crt"));
        var e = assertThrows(IdentityException.class, () -> fast.load(tmp));
        assertTrue(e.getMessage().contains("[staker.key, signer.key] are missing"), e.getMessage());
    }

    @Test
    void tamperedCertificateIsRefusedAndNothingChanges() throws Exception {
        var dir = tmp.resolve("staking");
        fast.generate(dir);
        var before = snapshot(dir);
        var pem = new String(before.get("staker.crt"), StandardCharsets.US_ASCII);
        int i = pem.lastIndexOf("-----END") - 10; // inside the signature: the certificate still parses
        var tampered = pem.substring(0, i) + (pem.charAt(i) == 'A' ? 'B' : 'A') + pem.substring(i + 1);
        Files.writeString(dir.resolve("staker.crt"), tampered);

        var e = assertThrows(IdentityException.class, () -> fast.load(dir));
        assertTrue(e.getMessage().contains("staker.crt in " + dir + " does not carry a valid signature"), e.getMessage());
        assertNoSecretIn(e, before);
        assertArrayEquals(tampered.getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(dir.resolve("staker.crt")));
        assertArrayEquals(before.get("staker.key"), Files.readAllBytes(dir.resolve("staker.key")));
        assertArrayEquals(before.get("signer.key"), Files.readAllBytes(dir.resolve("signer.key")));
    }

    @Test
    void keyFromAnotherNodeIsRefusedAsNotMatchingTheCertificate() throws Exception {
        fast.generate(tmp.resolve("a"));
        fast.generate(tmp.resolve("b"));
        Files.delete(tmp.resolve("a/staker.key"));
        Files.copy(tmp.resolve("b/staker.key"), tmp.resolve("a/staker.key"));

        var e = assertThrows(IdentityException.class, () -> fast.load(tmp.resolve("a")));
        assertTrue(e.getMessage().contains("is not the private key of"), e.getMessage());
    }

    @Test
    void worldReadableStakingKeyIsRefusedWithChmodAdvice() throws Exception {
        var dir = tmp.resolve("staking");
        fast.generate(dir);
        Files.setPosixFilePermissions(dir.resolve("staker.key"), PosixFilePermissions.fromString("rw-r--r--"));

        var e = assertThrows(IdentityException.class, () -> fast.load(dir));
        assertTrue(e.getMessage().contains("chmod 600 " + dir.resolve("staker.key")), e.getMessage());
        assertEquals("rw-r--r--", mode(dir.resolve("staker.key")), "berth does not silently fix it");
    }

    @Test
    void generateRefusesWhenAnyFileExistsAndLeavesItAlone() throws Exception {
        Files.write(tmp.resolve("signer.key"), new byte[] {7});
        var e = assertThrows(IdentityException.class, () -> fast.generate(tmp));
        assertTrue(e.getMessage().contains("[signer.key]"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("staker.crt")));
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(tmp.resolve("signer.key")));
    }

    @Test
    void exportedBundleRestoresElsewhereToTheSameNodeId() {
        var made = fast.generate(tmp.resolve("old"));
        var bundle = fast.export(tmp.resolve("old"));
        try {
            assertEquals(made, fast.restore(tmp.resolve("new"), bundle));
        } finally {
            bundle.destroy();
        }
        assertEquals(new IdentityState.Present(made), fast.load(tmp.resolve("new")));
    }

    @Test
    void truncatedBackupIsRefusedAndNothingIsWritten() throws Exception {
        fast.generate(tmp.resolve("old"));
        var files = snapshot(tmp.resolve("old"));
        var truncated = new HashMap<>(files);
        truncated.put("signer.key", Arrays.copyOf(files.get("signer.key"), 16));
        var e = assertThrows(IdentityException.class,
                () -> fast.restore(tmp.resolve("new"), new IdentityBundle("avalanche", truncated)));
        assertTrue(e.getMessage().contains("signer.key in the backup"), e.getMessage());
        assertNoSecretIn(e, files);

        var cutKey = new HashMap<>(files);
        cutKey.put("staker.key", Arrays.copyOf(files.get("staker.key"), files.get("staker.key").length / 2));
        var e2 = assertThrows(IdentityException.class,
                () -> fast.restore(tmp.resolve("new"), new IdentityBundle("avalanche", cutKey)));
        assertTrue(e2.getMessage().contains("staker.key in the backup"), e2.getMessage());

        var missing = new HashMap<>(files);
        missing.remove("staker.crt");
        assertThrows(IdentityException.class,
                () -> fast.restore(tmp.resolve("new"), new IdentityBundle("avalanche", missing)));
        assertFalse(Files.exists(tmp.resolve("new")), "nothing was written");
    }

    private static Map<String, byte[]> snapshot(Path dir) throws Exception {
        var files = new TreeMap<String, byte[]>();
        for (var name : new String[] {"staker.crt", "staker.key", "signer.key"}) {
            files.put(name, Files.readAllBytes(dir.resolve(name)));
        }
        return files;
    }

    private static void assertNoSecretIn(Exception e, Map<String, byte[]> files) {
        var message = e.getMessage();
        var keyPem = new String(files.get("staker.key"), StandardCharsets.US_ASCII).split("\n");
        for (int i = 1; i < keyPem.length - 1; i++) {
            assertFalse(message.contains(keyPem[i].substring(0, 16)), "message quotes the key: " + message);
        }
        assertFalse(message.contains(java.util.HexFormat.of().formatHex(files.get("signer.key")).substring(0, 16)));
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
