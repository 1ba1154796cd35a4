package dev.berth.identity.common;

import dev.berth.spi.IdentityException;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;

/**
 * A certificate read at the ASN.1 level, for certificates the JDK refuses: avalanchego
 * writes staking certificates with an empty issuer and subject, which RFC 5280 forbids and
 * {@code CertificateFactory} rejects, yet they are what every avalanchego node runs with.
 */
public final class CertificateDer {
    private final byte[] der;
    private final ASN1Sequence tbs;
    private final int offset; // 1 when the optional [0] version is present
    private final AlgorithmIdentifier signatureAlgorithm;
    private final byte[] signature;

    private CertificateDer(byte[] der, String what) {
        try {
            var primitive = ASN1Primitive.fromByteArray(der);
            var certificate = ASN1Sequence.getInstance(primitive);
            if (certificate.size() != 3 || !java.util.Arrays.equals(der, certificate.getEncoded(ASN1Encoding.DER))) {
                throw new IllegalArgumentException("not a DER certificate");
            }
            this.der = der.clone();
            this.tbs = ASN1Sequence.getInstance(certificate.getObjectAt(0));
            this.offset = tbs.getObjectAt(0) instanceof ASN1TaggedObject ? 1 : 0;
            this.signatureAlgorithm = AlgorithmIdentifier.getInstance(certificate.getObjectAt(1));
            this.signature = DERBitString.getInstance(certificate.getObjectAt(2)).getOctets();
        } catch (IOException | RuntimeException e) {
            throw Pem.damaged(what, "certificate", e);
        }
    }

    /** Parses the DER of one certificate; {@code what} names it in errors. */
    public static CertificateDer parse(byte[] der, String what) {
        return new CertificateDer(der, what);
    }

    public byte[] der() {
        return der.clone();
    }

    public PublicKey publicKey(String what) {
        try {
            var info = SubjectPublicKeyInfo.getInstance(tbs.getObjectAt(offset + 5));
            var encoded = info.getEncoded(ASN1Encoding.DER);
            var algorithm = info.getAlgorithm().getAlgorithm().getId();
            var name = switch (algorithm) {
                case "1.2.840.113549.1.1.1" -> "RSA";
                case "1.2.840.10045.2.1" -> "EC";
                case "1.3.101.112" -> "Ed25519";
                default -> throw new IdentityException(what + " holds a public key of algorithm " + algorithm
                        + ", which berth does not support: use an RSA, ECDSA or Ed25519 certificate");
            };
            return KeyFactory.getInstance(name).generatePublic(new X509EncodedKeySpec(encoded));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof IdentityException ie) {
                throw ie;
            }
            throw Pem.damaged(what, "certificate", e);
        }
    }

    /** Issuer equals subject: the certificate signs itself, so its signature can be checked without a CA. */
    public boolean selfIssued() {
        return tbs.getObjectAt(offset + 2).equals(tbs.getObjectAt(offset + 4));
    }

    /**
     * For a self-issued certificate, fails unless its signature verifies with its own key,
     * which catches an edit anywhere in the certificate. Certificates issued by a CA (like
     * avalanchego's published local test certificates) are left to the slot's fingerprint.
     */
    public void requireIntactIfSelfIssued(String what) {
        if (!selfIssued()) {
            return;
        }
        boolean valid;
        try {
            var verifier = Signature.getInstance(new DefaultAlgorithmNameFinder().getAlgorithmName(signatureAlgorithm));
            verifier.initVerify(publicKey(what));
            verifier.update(tbs.getEncoded(ASN1Encoding.DER));
            valid = verifier.verify(signature);
        } catch (GeneralSecurityException | IOException e) {
            valid = false;
        }
        if (!valid) {
            throw new IdentityException(what + " does not carry a valid signature of its own key: the certificate "
                    + "was edited or damaged. Replace it with an intact copy from the identity's backup");
        }
    }
}
