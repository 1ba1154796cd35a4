package dev.berth.spi;

/** An identity is missing, invalid, tampered with or does not match its slot. Never carries key bytes. */
public final class IdentityException extends BerthException {
    private static final long serialVersionUID = 1L;

    public IdentityException(String message) {
        super(message);
    }

    public IdentityException(String message, Throwable cause) {
        super(message, cause);
    }
}
