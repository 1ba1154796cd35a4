package dev.berth.identity.avalanche;

import dev.berth.identity.common.KeyPairs;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.Locale;

/**
 * Staking TLS certificates shaped like avalanchego's {@code staking.NewCertAndKeyBytes}:
 * self-signed, empty subject and issuer, serial 0, valid from 1999-12-31 for 100 years,
 * key usage digitalSignature, basic constraints (not a CA).
 */
final class StakingCertificates {
    /** The staking key algorithm. The issue asks for RSA 4096; avalanchego 1.10+ generates ECDSA P-256. */
    enum Algorithm {
        RSA_4096("rsa-4096"), ECDSA_P256("ecdsa-p256");

        final String setting;

        Algorithm(String setting) {
            this.setting = setting;
        }

        static Algorithm parse(String value, String settingName) {
            for (var a : values()) {
                if (a.setting.equals(value.trim().toLowerCase(Locale.ROOT))) {
                    return a;
                }
            }
            throw new dev.berth.spi.IdentityException("setting '" + settingName + "' is '" + value
                    + "': use rsa-4096 or ecdsa-p256");
        }
    }

    record Generated(KeyPair keys, byte[] certificateDer) {
        @Override
        public String toString() {
            return "Generated[" + keys.getPublic().getAlgorithm() + "]";
        }
    }

    private StakingCertificates() {
    }

    static Generated generate(Algorithm algorithm) {
        try {
            var keys = keyPair(algorithm);
            // time.Date(2000, time.January, 0, ...) in Go normalises to 1999-12-31.
            var notBefore = ZonedDateTime.of(1999, 12, 31, 0, 0, 0, 0, ZoneOffset.UTC);
            var notAfter = ZonedDateTime.now(ZoneOffset.UTC).plusYears(100);
            // Built by hand: BouncyCastle's certificate builders refuse the empty issuer avalanchego writes.
            var empty = new X500Name(new RDN[0]);
            var algorithmName = KeyPairs.signatureAlgorithm(keys.getPrivate());
            var signatureAlgorithm = new DefaultSignatureAlgorithmIdentifierFinder().find(algorithmName);
            var extensions = new Extensions(new Extension[] {
                new Extension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature).getEncoded()),
                new Extension(Extension.basicConstraints, true, new BasicConstraints(false).getEncoded()),
            });
            var tbs = new DERSequence(new ASN1Encodable[] {
                new DERTaggedObject(true, 0, new ASN1Integer(2)), // v3
                new ASN1Integer(BigInteger.ZERO),
                signatureAlgorithm,
                empty,
                new DERSequence(new ASN1Encodable[] {new Time(Date.from(notBefore.toInstant())),
                    new Time(Date.from(notAfter.toInstant()))}),
                empty,
                SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()),
                new DERTaggedObject(true, 3, extensions),
            });
            var signer = Signature.getInstance(algorithmName);
            signer.initSign(keys.getPrivate());
            signer.update(tbs.getEncoded(ASN1Encoding.DER));
            var certificate = new DERSequence(new ASN1Encodable[] {
                tbs, signatureAlgorithm, new DERBitString(signer.sign())});
            return new Generated(keys, certificate.getEncoded(ASN1Encoding.DER));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not build a staking certificate", e);
        }
    }

    private static KeyPair keyPair(Algorithm algorithm) throws GeneralSecurityException {
        return switch (algorithm) {
            case RSA_4096 -> {
                var generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(4096);
                yield generator.generateKeyPair();
            }
            case ECDSA_P256 -> {
                var generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                yield generator.generateKeyPair();
            }
        };
    }
}
