package dev.berth.core.claim;

/** What berth knows about a slot's holder. Only {@link #NONE} and {@link #GONE} make a slot free. */
public enum HolderStatus {
    /** Nobody holds the slot (never claimed, or released cleanly). */
    NONE,
    /** This instance holds it. */
    SELF,
    /** The holder runs (or may run: not yet visible, stopped): never taken without --force. */
    ALIVE,
    /** The holder is on its way out but has not let go: wait for it. */
    TERMINATING,
    /** The holder is terminated, or unknown to the cloud for longer than the grace period. */
    GONE;

    public boolean free() {
        return this == NONE || this == GONE;
    }
}
