package dev.berth.identity.x509;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.identity.common.Fingerprints;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class X509IdentityProviderTest {
    @TempDir
    Path tmp;

    private static IdentityProvider provider(Map<String, String> settings) {
        return new X509IdentityProviderFactory().create(new PluginConfig("identity", settings));
    }

    @Test
    void defaultIdentityIsAnEcdsaP256SelfSignedCertificateNamedBySubject() throws Exception {
        var provider = provider(Map.of());
        var made = provider.generate(tmp);

        assertEquals("CN=berth-node", made.publicName());
        var certificate = Pem.certificate(Files.readAllBytes(tmp.resolve("node.crt")), "node.crt");
        assertEquals("EC", certificate.getPublicKey().getAlgorithm());
        certificate.verify(certificate.getPublicKey());
        assertEquals(Fingerprints.sha256Hex(certificate.getEncoded()), made.fingerprint());
        assertEquals(new IdentityState.Present(made), provider.load(tmp));
        assertEquals(made, provider.inspect(tmp));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("node.key"))));
        assertTrue(Files.readString(tmp.resolve("node.key")).startsWith("-----BEGIN PRIVATE KEY-----"));
    }

    @Test
    void ed25519IdentityCarriesConfiguredSubjectAndSansInCertificateAndCsr() throws Exception {
        var provider = provider(Map.of("algorithm", "ed25519", "subject", "CN=db-1,O=Example",
                "sans", "db-1.internal, 10.0.1.5 ,::1"));
        var made = provider.generate(tmp);

        assertEquals("CN=db-1,O=Example", made.publicName());
        var certificate = Pem.certificate(Files.readAllBytes(tmp.resolve("node.crt")), "node.crt");
        assertEquals("1.3.101.112", certificate.getSigAlgOID(), "signed with Ed25519");
        var sans = certificate.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).toList();
        assertEquals(List.of("db-1.internal", "10.0.1.5", "0:0:0:0:0:0:0:1"), sans);
        var csr = Pem.certificationRequest(Files.readAllBytes(tmp.resolve("node.csr")), "node.csr");
        assertArrayEquals(certificate.getSubjectX500Principal().getEncoded(), csr.getSubject().getEncoded());
        assertEquals(1, csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest).length);
        assertEquals(new IdentityState.Present(made), provider.load(tmp));
    }

    @Test
    void badSettingsAreNamed() {
        var algorithm = assertThrows(IdentityException.class, () -> provider(Map.of("algorithm", "rsa")));
        assertTrue(algorithm.getMessage().contains("identity.algorithm"), algorithm.getMessage());
        var san = assertThrows(IdentityException.class, () -> provider(Map.of("sans", "ok.example,bad name")));
        assertTrue(san.getMessage().contains("'bad name'"), san.getMessage());
        var subject = assertThrows(IdentityException.class, () -> provider(Map.of("subject", "not a dn")));
        assertTrue(subject.getMessage().contains("identity.subject"), subject.getMessage());
    }

    @Test
    void tamperedCertificateIsRefusedAndNothingChanges() throws Exception {
        var provider = provider(Map.of());
        provider.generate(tmp);
        var pem = Files.readString(tmp.resolve("node.crt"));
        int i = pem.lastIndexOf("-----END") - 8;
        var tampered = pem.substring(0, i) + (pem.charAt(i) == 'A' ? 'B' : 'A') + pem.substring(i + 1);
        Files.writeString(tmp.resolve("node.crt"), tampered);
        var keyBefore = Files.readAllBytes(tmp.resolve("node.key"));

        var e = assertThrows(IdentityException.class, () -> provider.load(tmp));
        assertTrue(e.getMessage().contains("node.crt in " + tmp), e.getMessage());
        assertEquals(tampered, Files.readString(tmp.resolve("node.crt")));
        assertArrayEquals(keyBefore, Files.readAllBytes(tmp.resolve("node.key")));
    }

    @Test
    void csrOfAnotherKeyIsRefused() throws Exception {
        var provider = provider(Map.of());
        provider.generate(tmp.resolve("a"));
        provider.generate(tmp.resolve("b"));
        Files.delete(tmp.resolve("a/node.csr"));
        Files.copy(tmp.resolve("b/node.csr"), tmp.resolve("a/node.csr"));
        var e = assertThrows(IdentityException.class, () -> provider.load(tmp.resolve("a")));
        assertTrue(e.getMessage().contains("is not the private key of node.csr"), e.getMessage());
    }

    @Test
    void worldReadableKeyIsRefused() throws Exception {
        var provider = provider(Map.of());
        provider.generate(tmp);
        Files.setPosixFilePermissions(tmp.resolve("node.key"), PosixFilePermissions.fromString("rw-r--r--"));
        var e = assertThrows(IdentityException.class, () -> provider.load(tmp));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
        assertEquals(provider.inspect(tmp).publicName(), "CN=berth-node", "the certificate alone still names it");
    }

    @Test
    void backupRestoresTheSameIdentityAndATruncatedOneWritesNothing() throws Exception {
        var provider = provider(Map.of());
        var made = provider.generate(tmp.resolve("old"));
        var bundle = provider.export(tmp.resolve("old"));
        var files = new TreeMap<String, byte[]>();
        bundle.fileNames().forEach(n -> files.put(n, bundle.file(n)));
        try {
            assertEquals(made, provider.restore(tmp.resolve("new"), bundle));
        } finally {
            bundle.destroy();
        }
        var truncated = new HashMap<>(files);
        var key = files.get("node.key");
        truncated.put("node.key", new String(key, StandardCharsets.US_ASCII).substring(0, key.length / 2)
                .getBytes(StandardCharsets.US_ASCII));
        var e = assertThrows(IdentityException.class,
                () -> provider.restore(tmp.resolve("other"), new IdentityBundle("x509", truncated)));
        assertTrue(e.getMessage().contains("node.key in the backup"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("other")));
        assertInstanceOf(IdentityState.Absent.class, provider.load(tmp.resolve("other")));
    }
}
