package dev.berth.spi;

/** The write took effect; the key now has this version. */
public record Written(String version) implements WriteResult {
}
