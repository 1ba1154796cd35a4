package dev.berth.spi;

/**
 * The public face of an identity: its kind, its public name (a NodeID, an enode id, a
 * certificate subject) and a fingerprint that the slot record keeps (lowercase hex SHA-256
 * of the public part).
 */
public record NodeIdentity(String kind, String publicName, String fingerprint) {
}
