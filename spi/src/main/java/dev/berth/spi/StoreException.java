package dev.berth.spi;

/**
 * The store did not answer, or answered something berth cannot trust. When
 * {@link #retryable()} the call may be retried after a backoff; a write that failed this
 * way may or may not have happened.
 */
public final class StoreException extends BerthException {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    public StoreException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    public StoreException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
