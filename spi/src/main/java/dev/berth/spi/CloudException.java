package dev.berth.spi;

/**
 * A cloud call failed. {@link #reason()} tells callers whether to retry, wait, or stop: a
 * {@linkplain Reason#retryable() retryable} reason is a passing failure of the service, and the same
 * call is simply tried again (berth's retry layer does, within its bound); {@code NOT_FOUND} and
 * {@code CONFLICT} describe the resource's state, which the caller waits out or acts on.
 */
public final class CloudException extends BerthException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The resource is unknown (or not yet visible: describe calls lag). The caller decides whether to wait. */
        NOT_FOUND(false),
        /** Request rate exceeded (RequestLimitExceeded); retry with backoff. */
        THROTTLED(true),
        /** The caller lacks a permission; retrying will not help. */
        ACCESS_DENIED(false),
        /** The resource is in a state that forbids the call (volume in use, wrong zone). */
        CONFLICT(false),
        /** The request is invalid (bad parameter, wrong region); retrying will not help. */
        INVALID(false),
        /** The service or the metadata endpoint did not answer. */
        UNAVAILABLE(true),
        /**
         * An idempotency (client) token was used before with other parameters (EC2's
         * IdempotentParameterMismatch: the configuration changed while a creation was pending).
         * The caller needs a new token; the same call never succeeds.
         */
        TOKEN_MISMATCH(false);

        private final boolean retryable;

        Reason(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final Reason reason;
    private final String resource;

    public CloudException(Reason reason, String resource, String message) {
        super(message);
        this.reason = reason;
        this.resource = resource;
    }

    public CloudException(Reason reason, String resource, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.resource = resource;
    }

    public Reason reason() {
        return reason;
    }

    /** The instance, volume, snapshot or endpoint the failed call was about. */
    public String resource() {
        return resource;
    }
}
