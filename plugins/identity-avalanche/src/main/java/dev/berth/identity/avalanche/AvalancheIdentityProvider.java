package dev.berth.identity.avalanche;

import dev.berth.identity.common.CertificateDer;
import dev.berth.identity.common.FileIdentityProvider;
import dev.berth.identity.common.Fingerprints;
import dev.berth.identity.common.KeyPairs;
import dev.berth.identity.common.Pem;
import dev.berth.identity.common.SecureFiles;
import dev.berth.spi.IdentityException;
import dev.berth.spi.NodeIdentity;
import dev.berth.spi.PluginConfig;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An Avalanche validator's identity as avalanchego keeps it: {@code staker.crt} (PEM
 * certificate), {@code staker.key} (PEM private key) and {@code signer.key} (32 raw bytes,
 * a BLS12-381 secret key). Named by its NodeID; fingerprint = SHA-256 of the certificate DER.
 */
final class AvalancheIdentityProvider extends FileIdentityProvider {
    static final String KIND = "avalanche";
    static final String CERT = "staker.crt";
    static final String KEY = "staker.key";
    static final String SIGNER = "signer.key";
    /** Config key: the staking key algorithm for new identities, rsa-4096 (default) or ecdsa-p256. */
    static final String TLS_KEY_ALGORITHM = "tls-key-algorithm";

    private final StakingCertificates.Algorithm algorithm;

    AvalancheIdentityProvider(PluginConfig config) {
        super(KIND, List.of(CERT, KEY, SIGNER), Set.of(KEY, SIGNER), SecureFiles.fromConfig(config));
        this.algorithm = StakingCertificates.Algorithm.parse(
                config.get(TLS_KEY_ALGORITHM, StakingCertificates.Algorithm.RSA_4096.setting),
                config.section() + "." + TLS_KEY_ALGORITHM);
    }

    @Override
    protected Map<String, byte[]> newFiles() {
        var staking = StakingCertificates.generate(algorithm);
        var ikm = SecureFiles.randomBytes(32);
        var files = new LinkedHashMap<String, byte[]>();
        files.put(CERT, Pem.encode("CERTIFICATE", staking.certificateDer()));
        var keyDer = staking.keys().getPrivate().getEncoded();
        files.put(KEY, Pem.encode("PRIVATE KEY", keyDer));
        Arrays.fill(keyDer, (byte) 0);
        files.put(SIGNER, BlsKeyGen.keyGen(ikm));
        Arrays.fill(ikm, (byte) 0);
        return files;
    }

    @Override
    protected NodeIdentity validate(Map<String, byte[]> files, String origin) {
        var certificate = certificate(files.get(CERT), describe(CERT, origin));
        var key = Pem.privateKey(files.get(KEY), describe(KEY, origin));
        KeyPairs.requireMatch(key, certificate.publicKey(describe(CERT, origin)), describe(KEY, origin),
                describe(CERT, origin));
        var signer = files.get(SIGNER);
        if (!BlsKeyGen.isValidSecretKey(signer)) {
            throw new IdentityException(describe(SIGNER, origin) + " is not a BLS12-381 secret key (expected "
                    + BlsKeyGen.SECRET_KEY_BYTES + " raw bytes encoding a number below the group order, found "
                    + signer.length + " bytes): the file is damaged or truncated; restore it from the identity's "
                    + "backup. Never generate a new signer key for a registered validator");
        }
        return name(certificate, describe(CERT, origin));
    }

    @Override
    public NodeIdentity inspect(Path dir) {
        var file = dir.resolve(CERT);
        if (!SecureFiles.exists(file)) {
            throw new IdentityException("there is no " + CERT + " in " + dir
                    + ": point --dir at avalanchego's staking directory (by default ~/.avalanchego/staking)");
        }
        return name(certificate(SecureFiles.read(file), file.toString()), file.toString());
    }

    /** avalanchego's own certificates have an empty issuer, which the JDK's parser refuses. */
    private static CertificateDer certificate(byte[] pem, String what) {
        var certificate = CertificateDer.parse(Pem.decode(pem, "CERTIFICATE", what), what);
        certificate.requireIntactIfSelfIssued(what);
        return certificate;
    }

    private static NodeIdentity name(CertificateDer certificate, String what) {
        var der = certificate.der();
        return new NodeIdentity(KIND, NodeIds.of(der), Fingerprints.sha256Hex(der));
    }
}
