package dev.berth.identity.x509;

import dev.berth.identity.common.CertificateDer;
import dev.berth.identity.common.FileIdentityProvider;
import dev.berth.identity.common.Fingerprints;
import dev.berth.identity.common.KeyPairs;
import dev.berth.identity.common.Pem;
import dev.berth.identity.common.SecureFiles;
import dev.berth.spi.IdentityException;
import dev.berth.spi.NodeIdentity;
import dev.berth.spi.PluginConfig;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * An X.509 node identity: {@code node.key} (PKCS#8 PEM), {@code node.crt} (self-signed,
 * or later replaced by one a CA signed for {@code node.csr}) and {@code node.csr}
 * (PKCS#10). Named by the certificate's subject; fingerprint = SHA-256 of the certificate DER.
 */
final class X509IdentityProvider extends FileIdentityProvider {
    static final String KIND = "x509";
    static final String KEY = "node.key";
    static final String CERT = "node.crt";
    static final String CSR = "node.csr";
    private static final Duration VALIDITY = Duration.ofDays(3650);

    private final CertificateSettings settings;

    X509IdentityProvider(CertificateSettings settings, PluginConfig config) {
        super(KIND, List.of(KEY, CERT, CSR), Set.of(KEY), SecureFiles.fromConfig(config));
        this.settings = settings;
    }

    @Override
    protected Map<String, byte[]> newFiles() {
        try {
            var keys = keyPair();
            var signer = new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(keys.getPrivate())).build(keys.getPrivate());
            var extensions = new ExtensionsGenerator();
            if (!settings.sans().isEmpty()) {
                extensions.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(settings.sans().toArray(GeneralName[]::new)));
            }
            var now = Instant.now();
            var certificate = new JcaX509v3CertificateBuilder(settings.subject(), new BigInteger(1, SecureFiles.randomBytes(16)),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), settings.subject(),
                    keys.getPublic());
            if (!settings.sans().isEmpty()) {
                certificate.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(settings.sans().toArray(GeneralName[]::new)));
            }
            certificate.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            certificate.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            certificate.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            certificate.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            var csr = new JcaPKCS10CertificationRequestBuilder(settings.subject(), keys.getPublic());
            if (!settings.sans().isEmpty()) {
                csr.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            }
            var files = new LinkedHashMap<String, byte[]>();
            var keyDer = keys.getPrivate().getEncoded();
            files.put(KEY, Pem.encode("PRIVATE KEY", keyDer));
            Arrays.fill(keyDer, (byte) 0);
            files.put(CERT, Pem.encode("CERTIFICATE", certificate.build(signer).getEncoded()));
            files.put(CSR, Pem.encode("CERTIFICATE REQUEST", csr.build(signer).getEncoded()));
            return files;
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("could not build an X.509 identity", e);
        }
    }

    @Override
    protected NodeIdentity validate(Map<String, byte[]> files, String origin) {
        var key = Pem.privateKey(files.get(KEY), describe(KEY, origin));
        var certificate = Pem.certificate(files.get(CERT), describe(CERT, origin));
        KeyPairs.requireMatch(key, certificate.getPublicKey(), describe(KEY, origin), describe(CERT, origin));
        CertificateDer.parse(der(certificate, describe(CERT, origin)), describe(CERT, origin))
                .requireIntactIfSelfIssued(describe(CERT, origin));
        var csr = Pem.certificationRequest(files.get(CSR), describe(CSR, origin));
        PublicKey csrKey;
        boolean signed;
        try {
            var request = new JcaPKCS10CertificationRequest(csr);
            csrKey = request.getPublicKey();
            signed = csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csrKey));
        } catch (GeneralSecurityException | OperatorCreationException | PKCSException | RuntimeException e) {
            signed = false;
            csrKey = null;
        }
        if (!signed) {
            throw new IdentityException(describe(CSR, origin) + " is not a validly signed certificate request: "
                    + "the file was edited or damaged; restore it from the identity's backup");
        }
        KeyPairs.requireMatch(key, csrKey, describe(KEY, origin), describe(CSR, origin));
        return name(certificate, describe(CERT, origin));
    }

    /** Names the identity from node.crt alone. */
    @Override
    public NodeIdentity inspect(Path dir) {
        var file = dir.resolve(CERT);
        if (!SecureFiles.exists(file)) {
            throw new IdentityException("there is no " + CERT + " in " + dir + ": point --dir at the identity directory");
        }
        return name(Pem.certificate(SecureFiles.read(file), file.toString()), file.toString());
    }

    private static NodeIdentity name(X509Certificate certificate, String what) {
        return new NodeIdentity(KIND, certificate.getSubjectX500Principal().getName(X500Principal.RFC2253),
                Fingerprints.sha256Hex(der(certificate, what)));
    }

    private static byte[] der(X509Certificate certificate, String what) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IdentityException(what + " cannot be encoded: restore it from the identity's backup", e);
        }
    }

    private KeyPair keyPair() throws GeneralSecurityException {
        return switch (settings.algorithm()) {
            case ECDSA_P256 -> {
                var generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                yield generator.generateKeyPair();
            }
            case ED25519 -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        };
    }
}
