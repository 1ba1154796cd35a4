package dev.berth.core.slot;

import dev.berth.spi.BerthException;

/** A slot record that berth cannot trust. The slot is left alone. */
public final class CorruptSlotRecordException extends BerthException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public CorruptSlotRecordException(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
