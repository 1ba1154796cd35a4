package dev.berth.fs.linux;

import dev.berth.spi.DeviceSignature.Recognized;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Devices that belong to something else: an LVM physical volume, an md RAID member, a ZFS
 * pool member, a bcache device. Named and placed as libblkid does (superblocks lvm.c,
 * linux_raid.c, zfs.c, bcache.c); none is mountable, and none may be formatted over. Probed
 * before the filesystems, as blkid does: an md RAID1 member with its superblock at the end
 * also shows the array's filesystem at its start.
 */
final class MemberSignatures {
    static final String LVM = "LVM2_member";
    static final String MD_RAID = "linux_raid_member";
    static final String ZFS = "zfs_member";
    static final String BCACHE = "bcache";

    private static final int MD_MAGIC = 0xa92b4efc;
    private static final long MD_RESERVED = 0x10000;
    private static final long ZFS_LABEL = 256 * 1024;
    private static final int ZFS_UBERBLOCKS_AT = 128 * 1024;
    private static final long ZFS_MAGIC = 0x00bab10cL;
    private static final int ZFS_WANT = 4;
    private static final int BCACHE_SUPERBLOCK = 0x1000;
    private static final byte[] BCACHE_MAGIC = {(byte) 0xc6, (byte) 0x85, 0x73, (byte) 0xf6, 0x4e, 0x1a, 0x45,
        (byte) 0xca, (byte) 0x82, 0x65, (byte) 0xf5, 0x7f, 0x48, (byte) 0xba, 0x6d, (byte) 0x81};

    private MemberSignatures() {
    }

    static Optional<Recognized> probe(DeviceBytes bytes, long size) {
        return lvm(bytes).or(() -> mdRaid(bytes, size)).or(() -> zfs(bytes, size)).or(() -> bcache(bytes));
    }

    /** "LABELONE" in one of the first four sectors, naming its own sector, with type "LVM2 001". */
    private static Optional<Recognized> lvm(DeviceBytes bytes) {
        var head = bytes.read(0, 4 * 512);
        for (int sector = 0; sector < 4; sector++) {
            int at = sector * 512;
            if (matches(head, at, ascii("LABELONE")) && le(head).getLong(at + 8) == sector
                    && matches(head, at + 0x18, ascii("LVM2 001"))) {
                var id = new String(head, at + 0x20, 32, StandardCharsets.US_ASCII);
                return Optional.of(member(LVM, Optional.of(lvmUuid(id))));
            }
        }
        return Optional.empty();
    }

    /** An LVM PV UUID as blkid and pvs print it: 6-4-4-4-4-4-6 characters. */
    static String lvmUuid(String id) {
        var out = new StringBuilder();
        int[] groups = {6, 4, 4, 4, 4, 4, 6};
        int at = 0;
        for (int group : groups) {
            out.append(out.isEmpty() ? "" : "-").append(id, at, at + group);
            at += group;
        }
        return out.toString();
    }

    /** md metadata 0.90 (64 KiB from the aligned end), 1.0 (8 KiB from the end), 1.1 (start), 1.2 (4 KiB). */
    private static Optional<Recognized> mdRaid(DeviceBytes bytes, long size) {
        if (size > MD_RESERVED) {
            long v090 = (size & ~(MD_RESERVED - 1)) - MD_RESERVED;
            var sb = bytes.read(v090, 64);
            if (le(sb).getInt(0) == MD_MAGIC || ByteBuffer.wrap(sb).getInt(0) == MD_MAGIC) {
                var order = le(sb).getInt(0) == MD_MAGIC ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
                var words = ByteBuffer.wrap(sb).order(order);
                var uuid = ByteBuffer.allocate(16); // set_uuid0..3, each printed big-endian
                for (int offset : new int[] {20, 52, 56, 60}) {
                    uuid.putInt(words.getInt(offset));
                }
                return Optional.of(member(MD_RAID, Optional.of(SignatureReader.uuid(uuid.array(), 0))));
            }
            var v10 = mdVersion1(bytes, (size & ~0xfffL) - 0x2000);
            if (v10.isPresent()) {
                return v10;
            }
        }
        return mdVersion1(bytes, 0).or(() -> mdVersion1(bytes, 0x1000));
    }

    private static Optional<Recognized> mdVersion1(DeviceBytes bytes, long offset) {
        var sb = bytes.read(offset, 256);
        var le = le(sb);
        if (le.getInt(0) != MD_MAGIC || le.getInt(4) != 1 || le.getLong(0x90) != offset >> 9) {
            return Optional.empty();
        }
        return Optional.of(member(MD_RAID, Optional.of(SignatureReader.uuid(sb, 16))));
    }

    /** At least four uberblocks (magic 0x00bab10c, either byte order) in the four 256 KiB labels. */
    private static Optional<Recognized> zfs(DeviceBytes bytes, long size) {
        if (size < 64L << 20) {
            return Optional.empty(); // blkid's minimum for a ZFS member
        }
        long align = size % ZFS_LABEL;
        long[] labels = {0, ZFS_LABEL, size - 2 * ZFS_LABEL - align, size - ZFS_LABEL - align};
        int found = 0;
        for (long label : labels) {
            var uberblocks = le(bytes.read(label + ZFS_UBERBLOCKS_AT, (int) (ZFS_LABEL - ZFS_UBERBLOCKS_AT)));
            for (int at = 0; at < uberblocks.capacity(); at += 1024) {
                long magic = uberblocks.getLong(at);
                if (magic == ZFS_MAGIC || magic == Long.reverseBytes(ZFS_MAGIC)) {
                    found++;
                }
            }
            if (found >= ZFS_WANT) {
                return Optional.of(member(ZFS, Optional.empty()));
            }
        }
        return Optional.empty();
    }

    /** The bcache superblock at 4 KiB: its magic at byte 24, and its own sector (8) at byte 8. */
    private static Optional<Recognized> bcache(DeviceBytes bytes) {
        var sb = bytes.read(BCACHE_SUPERBLOCK, 64);
        if (!matches(sb, 24, BCACHE_MAGIC) || le(sb).getLong(8) != BCACHE_SUPERBLOCK / 512) {
            return Optional.empty();
        }
        return Optional.of(member(BCACHE, Optional.of(SignatureReader.uuid(sb, 40))));
    }

    private static Recognized member(String type, Optional<String> uuid) {
        return new Recognized(type, false, uuid, OptionalLong.empty());
    }

    private static ByteBuffer le(byte[] data) {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static boolean matches(byte[] data, int offset, byte[] magic) {
        return java.util.Arrays.equals(data, offset, offset + magic.length, magic, 0, magic.length);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
