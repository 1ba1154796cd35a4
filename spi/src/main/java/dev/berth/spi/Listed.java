package dev.berth.spi;

/** A key and its version as a listing shows them, without the value (see {@link ClaimStore#listVersions}). */
public record Listed(String key, String version) {
}
