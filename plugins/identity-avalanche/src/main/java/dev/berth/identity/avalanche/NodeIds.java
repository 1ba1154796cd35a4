package dev.berth.identity.avalanche;

import dev.berth.identity.common.Fingerprints;

import org.bouncycastle.crypto.digests.RIPEMD160Digest;

/** avalanchego's NodeID: "NodeID-" + CB58(RIPEMD-160(SHA-256(staking certificate DER))). */
final class NodeIds {
    static final String PREFIX = "NodeID-";

    private NodeIds() {
    }

    static String of(byte[] certificateDer) {
        var sha = Fingerprints.sha256(certificateDer);
        var ripemd = new RIPEMD160Digest();
        ripemd.update(sha, 0, sha.length);
        var id = new byte[ripemd.getDigestSize()];
        ripemd.doFinal(id, 0);
        return PREFIX + Cb58.encode(id);
    }
}
