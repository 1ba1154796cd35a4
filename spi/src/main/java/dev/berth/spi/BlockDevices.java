package dev.berth.spi;

import java.util.Optional;

/**
 * Finds the local device of an attached volume and reads what it holds. Read-only: nothing
 * here ever writes to a device.
 */
public interface BlockDevices {

    /**
     * The local device of a volume, found by its serial (NVMe) or by the device name asked
     * for at attach time (Xen); empty while it has not appeared yet. Callers wait, bounded.
     */
    Optional<BlockDevice> resolve(String volumeId, String requestedDeviceName);

    /** What the device holds, read from the device itself. */
    DeviceSignature probe(BlockDevice device);
}
