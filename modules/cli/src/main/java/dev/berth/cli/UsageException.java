package dev.berth.cli;

import dev.berth.spi.BerthException;

/** Bad input (a flag, a config value, a path): berth exits with code 2 and this one-line message. */
final class UsageException extends BerthException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
