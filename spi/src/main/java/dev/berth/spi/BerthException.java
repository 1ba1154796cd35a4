package dev.berth.spi;

/**
 * An error a user can hit. The message says what happened, which resource, and what to do.
 * It never carries secret material.
 */
public class BerthException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BerthException(String message) {
        super(message);
    }

    public BerthException(String message, Throwable cause) {
        super(message, cause);
    }
}
