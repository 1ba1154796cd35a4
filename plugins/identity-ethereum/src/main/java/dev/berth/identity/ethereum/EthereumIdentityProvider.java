package dev.berth.identity.ethereum;

import dev.berth.identity.common.FileIdentityProvider;
import dev.berth.identity.common.Fingerprints;
import dev.berth.identity.common.SecureFiles;
import dev.berth.spi.IdentityException;
import dev.berth.spi.NodeIdentity;
import dev.berth.spi.PluginConfig;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An Ethereum node's devp2p identity: {@code nodekey}, a secp256k1 private key in hex as
 * geth keeps it in its data directory ({@code <datadir>/geth/nodekey}). Named by the enode
 * id (128 hex characters of the public key); fingerprint = SHA-256 of the 64 public key bytes.
 */
final class EthereumIdentityProvider extends FileIdentityProvider {
    static final String KIND = "ethereum";
    static final String NODEKEY = "nodekey";

    EthereumIdentityProvider(PluginConfig config) {
        super(KIND, List.of(NODEKEY), Set.of(NODEKEY), SecureFiles.fromConfig(config));
    }

    @Override
    protected Map<String, byte[]> newFiles() {
        var key = NodeKeys.generate(SecureFiles::randomBytes);
        var files = new LinkedHashMap<String, byte[]>();
        files.put(NODEKEY, NodeKeys.toFile(key));
        Arrays.fill(key, (byte) 0);
        return files;
    }

    @Override
    protected NodeIdentity validate(Map<String, byte[]> files, String origin) {
        var what = describe(NODEKEY, origin);
        var key = NodeKeys.parseFile(files.get(NODEKEY)).orElseThrow(() -> new IdentityException(what
                + " is not a node key as geth writes it (64 hex characters, optionally one line ending): the "
                + "file is damaged, truncated or was edited; restore it from the identity's backup"));
        try {
            if (!NodeKeys.valid(key)) {
                throw new IdentityException(what + " is not a valid secp256k1 private key (zero or not below the "
                        + "curve order): restore it from the identity's backup");
            }
            var publicKey = NodeKeys.publicKey(key);
            return new NodeIdentity(KIND, HexFormat.of().formatHex(publicKey), Fingerprints.sha256Hex(publicKey));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The node key is the only file; the enode id is derived from it. */
    @Override
    public NodeIdentity inspect(Path dir) {
        var file = dir.resolve(NODEKEY);
        if (!SecureFiles.exists(file)) {
            throw new IdentityException("there is no " + NODEKEY + " in " + dir
                    + ": point --dir at the directory holding geth's nodekey (<datadir>/geth)");
        }
        var content = readFile(dir, NODEKEY);
        try {
            return validate(Map.of(NODEKEY, content), dir.toString());
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }
}
