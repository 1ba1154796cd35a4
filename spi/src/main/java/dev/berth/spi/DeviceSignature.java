package dev.berth.spi;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a device holds, read from its first and last bytes. Anything but {@link Blank} is
 * data that berth never formats over.
 */
public sealed interface DeviceSignature {

    /**
     * A short name: "blank", the signature as blkid names it ("ext4", "xfs", "btrfs", "crypto_LUKS",
     * "LVM2_member", "linux_raid_member", "zfs_member", "bcache", "swap", "mbr", "gpt"), or "unknown-data".
     */
    String name();

    /** All zero where berth looked. The only content that may be formatted. */
    record Blank() implements DeviceSignature {
        @Override
        public String name() {
            return "blank";
        }
    }

    /**
     * A recognised signature. {@code mountable} is true for filesystems berth can mount
     * (ext2/3/4, xfs, btrfs), false for encrypted and member devices (LUKS, LVM, md RAID, ZFS,
     * bcache), swap and partition tables.
     */
    record Recognized(String type, boolean mountable, Optional<String> uuid, OptionalLong filesystemSizeBytes)
            implements DeviceSignature {
        @Override
        public String name() {
            return type;
        }
    }

    /** Non-zero bytes at {@code offset} that match no known signature. */
    record UnknownData(long offset) implements DeviceSignature {
        @Override
        public String name() {
            return "unknown-data";
        }
    }
}
