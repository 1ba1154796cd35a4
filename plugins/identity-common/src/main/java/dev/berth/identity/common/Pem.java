package dev.berth.identity.common;

import dev.berth.spi.IdentityException;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * PEM encoding and parsing. Errors name the file ({@code what}) and never quote its content.
 */
public final class Pem {
    private Pem() {
    }

    public static byte[] encode(String type, byte[] der) {
        var out = new StringWriter();
        try (var writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new IllegalStateException("writing PEM to memory failed", e);
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** One X.509 certificate ("CERTIFICATE"), parsed by the JDK. Use {@link CertificateDer} for an empty issuer. */
    public static X509Certificate certificate(byte[] pem, String what) {
        try {
            var factory = CertificateFactory.getInstance("X.509");
            return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(decode(pem, "CERTIFICATE", what)));
        } catch (CertificateException | RuntimeException e) {
            if (e instanceof IdentityException ie) {
                throw ie;
            }
            throw damaged(what, "certificate", e);
        }
    }

    /** The DER content of the single PEM block of {@code type} in {@code pem}. */
    public static byte[] decode(byte[] pem, String type, String what) {
        PemObject object;
        try (var reader = new PemReader(new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII))) {
            object = reader.readPemObject();
        } catch (IOException | RuntimeException e) {
            throw damaged(what, type.toLowerCase(java.util.Locale.ROOT), e);
        }
        if (object == null) {
            throw new IdentityException(what + " holds no PEM " + type + " (it is empty, truncated or not PEM): "
                    + "replace it with an intact copy from the identity's backup");
        }
        if (!type.equals(object.getType())) {
            throw new IdentityException(what + " holds a PEM '" + object.getType() + "' where a " + type
                    + " belongs: put the right file under this name, or restore the identity from its backup");
        }
        return object.getContent();
    }

    /** A private key: PKCS#8 ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY") or SEC1 ("EC PRIVATE KEY"). */
    public static PrivateKey privateKey(byte[] pem, String what) {
        var object = single(pem, what, "private key");
        var converter = new JcaPEMKeyConverter();
        try {
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
        } catch (IOException | RuntimeException e) {
            throw damaged(what, "private key", e);
        }
        throw unexpected(what, "an unencrypted private key", object);
    }

    /** A PKCS#10 certification request ("CERTIFICATE REQUEST"). */
    public static PKCS10CertificationRequest certificationRequest(byte[] pem, String what) {
        var object = single(pem, what, "certificate request");
        if (object instanceof PKCS10CertificationRequest request) {
            return request;
        }
        throw unexpected(what, "a certificate request", object);
    }

    private static Object single(byte[] pem, String what, String expected) {
        try (var parser = new PEMParser(new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII))) {
            var object = parser.readObject();
            if (object == null) {
                throw new IdentityException(what + " holds no PEM " + expected + " (it is empty, truncated or "
                        + "not PEM): replace it with an intact copy from the identity's backup");
            }
            return object;
        } catch (IOException | RuntimeException e) {
            if (e instanceof IdentityException ie) {
                throw ie;
            }
            throw damaged(what, expected, e);
        }
    }

    static IdentityException damaged(String what, String expected, Exception e) {
        // The cause's message may quote parsed content; keep only its type.
        return new IdentityException(what + " is not a valid PEM " + expected + " (" + e.getClass().getSimpleName()
                + "): the file is damaged or was edited; replace it with an intact copy from the identity's backup", e);
    }

    private static IdentityException unexpected(String what, String expected, Object found) {
        return new IdentityException(what + " holds " + found.getClass().getSimpleName() + " where " + expected
                + " belongs: put the right file under this name, or restore the identity from its backup");
    }
}
