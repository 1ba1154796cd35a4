package dev.berth.core.claim;

import dev.berth.spi.BerthException;

/**
 * A claim stopped: a bound was hit, a slot was fenced, or something is wrong enough that
 * going on could lose data. {@link #kind()} says which; the message says what to do.
 */
public final class ClaimException extends BerthException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** A bounded wait or retry ran out. */
        TIMEOUT,
        /** Another instance claimed this slot (a higher epoch): this instance must not touch it. */
        FENCED,
        /** Data could be lost if berth went on (formatted slot on a blank device, identity mismatch). */
        DATA_SAFETY,
        /** The configuration or the operator's request cannot be carried out. */
        REFUSED
    }

    private final Kind kind;

    public ClaimException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ClaimException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
