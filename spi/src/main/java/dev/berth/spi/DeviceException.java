package dev.berth.spi;

/** A device or filesystem step failed: the message names the device, what happened and what to do. */
public final class DeviceException extends BerthException {
    private static final long serialVersionUID = 1L;

    public DeviceException(String message) {
        super(message);
    }

    public DeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
