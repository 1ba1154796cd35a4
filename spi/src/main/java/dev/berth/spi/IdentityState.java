package dev.berth.spi;

/** What {@link IdentityProvider#load} found. */
public sealed interface IdentityState {

    record Present(NodeIdentity identity) implements IdentityState {
    }

    record Absent() implements IdentityState {
    }
}
