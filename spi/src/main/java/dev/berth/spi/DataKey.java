package dev.berth.spi;

import java.util.Arrays;

/** A data key: plaintext for one use, wrapped for storage. Secret: destroy after use. */
public final class DataKey {
    private final byte[] plaintext;
    private final byte[] wrapped;

    public DataKey(byte[] plaintext, byte[] wrapped) {
        this.plaintext = plaintext.clone();
        this.wrapped = wrapped.clone();
    }

    public byte[] plaintext() {
        return plaintext.clone();
    }

    public byte[] wrapped() {
        return wrapped.clone();
    }

    public void destroy() {
        Arrays.fill(plaintext, (byte) 0);
    }

    @Override
    public String toString() {
        return "DataKey[" + plaintext.length * 8 + " bits]";
    }
}
