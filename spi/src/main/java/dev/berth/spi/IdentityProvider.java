package dev.berth.spi;

import java.nio.file.Path;

/**
 * Generates, loads, validates and names a node identity kept as files in a directory (on
 * the slot's volume). Key files are written atomically with mode 0600 in a 0700
 * directory. No key material ever reaches a message, a log line or a {@code toString()}.
 */
public interface IdentityProvider {

    String kind();

    /**
     * The identity in {@code dir}: {@link IdentityState.Absent} when none of its files
     * exist, {@link IdentityState.Present} when all exist and are consistent; an
     * {@link IdentityException} when some are missing, tampered with or too widely readable.
     */
    IdentityState load(Path dir);

    /** Generates a new identity into {@code dir}; refuses when any of its files exists. */
    NodeIdentity generate(Path dir);

    /** Names an identity from its public part alone (a certificate without its key). */
    NodeIdentity inspect(Path dir);

    /** The identity's files, to be encrypted and backed up. Destroy the bundle after use. */
    IdentityBundle export(Path dir);

    /** Writes a backed-up identity into {@code dir} (which holds none) and validates it. */
    NodeIdentity restore(Path dir, IdentityBundle bundle);
}
