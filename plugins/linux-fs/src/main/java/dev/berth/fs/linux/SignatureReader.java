package dev.berth.fs.linux;

import dev.berth.spi.DeviceSignature;
import dev.berth.spi.DeviceSignature.Blank;
import dev.berth.spi.DeviceSignature.Recognized;
import dev.berth.spi.DeviceSignature.UnknownData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads what a device holds from its own bytes, never from caches such as blkid's: the
 * filesystems berth mounts (ext2/3/4, XFS, btrfs), data it must never format over (LUKS,
 * LVM, md RAID, ZFS and bcache members, swap, GPT and MBR partition tables), each named as
 * blkid names it, and otherwise any non-zero byte in the first and last MiB. Only all zeros
 * there is {@link Blank}.
 */
final class SignatureReader {
    static final int SCAN_BYTES = 1 << 20;
    private static final int EXT_SUPERBLOCK = 1024;
    private static final int BTRFS_SUPERBLOCK = 0x10000;
    private static final int[] SWAP_PAGE_SIZES = {4096, 8192, 16384, 65536};
    static final String LUKS = "crypto_LUKS";
    private static final byte[] LUKS_MAGIC = {'L', 'U', 'K', 'S', (byte) 0xba, (byte) 0xbe};
    private static final byte[] LUKS2_SECONDARY_MAGIC = {'S', 'K', 'U', 'L', (byte) 0xba, (byte) 0xbe};
    /** Where LUKS2 keeps its secondary header, found when the primary one is damaged (libblkid luks.c). */
    private static final int[] LUKS2_SECONDARY_OFFSETS =
        {0x4000, 0x8000, 0x10000, 0x20000, 0x40000, 0x80000, 0x100000, 0x200000, 0x400000};
    private static final int LUKS_UUID = 168;
    private static final int LUKS2_HEADER_OFFSET = 256;

    DeviceSignature probe(Path device, long sizeBytes) {
        try (var bytes = DeviceBytes.open(device)) {
            long size = sizeBytes > 0 ? sizeBytes : bytes.channelSize();
            return MemberSignatures.probe(bytes, size).or(() -> luks(bytes)).or(() -> recognize(bytes))
                    .map(DeviceSignature.class::cast).orElseGet(() -> scanForData(bytes, size));
        }
    }

    /** LUKS1 or LUKS2 at the start, else a LUKS2 secondary header that names its own offset. */
    private static Optional<Recognized> luks(DeviceBytes bytes) {
        var head = bytes.read(0, 512);
        if (startsWith(head, 0, LUKS_MAGIC)) {
            return Optional.of(luks(head));
        }
        for (int offset : LUKS2_SECONDARY_OFFSETS) {
            var header = bytes.read(offset, 512);
            if (startsWith(header, 0, LUKS2_SECONDARY_MAGIC)
                    && ByteBuffer.wrap(header).getLong(LUKS2_HEADER_OFFSET) == offset) {
                return Optional.of(luks(header));
            }
        }
        return Optional.empty();
    }

    private static Recognized luks(byte[] header) {
        var uuid = new String(header, LUKS_UUID, 40, StandardCharsets.US_ASCII).replace("\0", "").trim();
        return new Recognized(LUKS, false, nonEmpty(uuid), OptionalLong.empty());
    }

    private Optional<Recognized> recognize(DeviceBytes bytes) {
        var head = bytes.read(0, 4096);
        if (startsWith(head, 0, ascii("XFSB"))) {
            return Optional.of(xfs(head));
        }
        var ext = bytes.read(EXT_SUPERBLOCK, 1024);
        if ((ext[0x38] & 0xff) == 0x53 && (ext[0x39] & 0xff) == 0xef) {
            return Optional.of(ext(ext));
        }
        var btrfs = bytes.read(BTRFS_SUPERBLOCK, 4096);
        if (startsWith(btrfs, 0x40, ascii("_BHRfS_M"))) {
            var le = ByteBuffer.wrap(btrfs).order(ByteOrder.LITTLE_ENDIAN);
            return Optional.of(new Recognized("btrfs", true, Optional.of(uuid(btrfs, 0x20)),
                    OptionalLong.of(le.getLong(0x70))));
        }
        for (int pageSize : SWAP_PAGE_SIZES) {
            var magic = bytes.read(pageSize - 10, 10);
            if (startsWith(magic, 0, ascii("SWAPSPACE2")) || startsWith(magic, 0, ascii("SWAP-SPACE"))) {
                var header = bytes.read(1024, 64);
                var uuid = isZero(header, 12, 16) ? Optional.<String>empty() : Optional.of(uuid(header, 12));
                return Optional.of(new Recognized("swap", false, uuid, OptionalLong.empty()));
            }
        }
        var gpt = bytes.read(512, 92);
        var gpt4k = bytes.read(4096, 92);
        if (startsWith(gpt, 0, ascii("EFI PART")) || startsWith(gpt4k, 0, ascii("EFI PART"))) {
            var header = startsWith(gpt, 0, ascii("EFI PART")) ? gpt : gpt4k;
            return Optional.of(new Recognized("gpt", false, Optional.of(guid(header, 56)), OptionalLong.empty()));
        }
        if ((head[510] & 0xff) == 0x55 && (head[511] & 0xff) == 0xaa && hasPartitionEntry(head)) {
            var signature = String.format("%08x", ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt(440));
            return Optional.of(new Recognized("mbr", false, Optional.of(signature), OptionalLong.empty()));
        }
        return Optional.empty();
    }

    private static Recognized xfs(byte[] sb) {
        var be = ByteBuffer.wrap(sb).order(ByteOrder.BIG_ENDIAN);
        long blockSize = Integer.toUnsignedLong(be.getInt(4));
        long dataBlocks = be.getLong(8);
        return new Recognized("xfs", true, Optional.of(uuid(sb, 32)), OptionalLong.of(dataBlocks * blockSize));
    }

    private static Recognized ext(byte[] sb) {
        var le = ByteBuffer.wrap(sb).order(ByteOrder.LITTLE_ENDIAN);
        int compat = le.getInt(0x5c);
        int incompat = le.getInt(0x60);
        boolean is64bit = (incompat & 0x80) != 0;
        long blocks = Integer.toUnsignedLong(le.getInt(0x04)); // s_blocks_count_lo (0x00 is s_inodes_count)
        if (is64bit) {
            blocks |= Integer.toUnsignedLong(le.getInt(0x150)) << 32;
        }
        int logBlockSize = le.getInt(0x18);
        long blockSize = logBlockSize >= 0 && logBlockSize <= 6 ? 1024L << logBlockSize : 0;
        boolean ext4Features = (incompat & (0x40 | 0x80 | 0x200)) != 0; // extents, 64bit, flex_bg
        boolean journal = (compat & 0x4) != 0; // has_journal
        var type = ext4Features ? "ext4" : journal ? "ext3" : "ext2";
        var size = blockSize > 0 ? OptionalLong.of(blocks * blockSize) : OptionalLong.empty();
        return new Recognized(type, true, Optional.of(uuid(sb, 0x68)), size);
    }

    private static boolean hasPartitionEntry(byte[] head) {
        for (int entry = 446; entry < 510; entry += 16) {
            if (head[entry + 4] != 0 && !isZero(head, entry + 8, 8)) {
                return true;
            }
        }
        return false;
    }

    private static DeviceSignature scanForData(DeviceBytes bytes, long size) {
        long firstEnd = size > 0 ? Math.min(size, SCAN_BYTES) : SCAN_BYTES;
        var first = bytes.read(0, (int) firstEnd);
        int at = firstNonZero(first);
        if (at >= 0) {
            return new UnknownData(at);
        }
        if (size > firstEnd) {
            long lastStart = Math.max(firstEnd, size - SCAN_BYTES);
            var last = bytes.read(lastStart, (int) (size - lastStart));
            at = firstNonZero(last);
            if (at >= 0) {
                return new UnknownData(lastStart + at);
            }
        }
        return new Blank();
    }

    private static int firstNonZero(byte[] data) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isZero(byte[] data, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (data[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] data, int offset, byte[] magic) {
        return data.length >= offset + magic.length
                && Arrays.equals(data, offset, offset + magic.length, magic, 0, magic.length);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static Optional<String> nonEmpty(String text) {
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** A UUID stored as 16 bytes in order (ext, XFS, btrfs, swap). */
    static String uuid(byte[] data, int offset) {
        var hex = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                hex.append('-');
            }
            hex.append(String.format("%02x", data[offset + i] & 0xff));
        }
        return hex.toString();
    }

    /** A GUID as GPT stores it: the first three fields little-endian. */
    static String guid(byte[] data, int offset) {
        var swapped = Arrays.copyOfRange(data, offset, offset + 16);
        reverse(swapped, 0, 4);
        reverse(swapped, 4, 2);
        reverse(swapped, 6, 2);
        return uuid(swapped, 0);
    }

    private static void reverse(byte[] data, int from, int length) {
        for (int i = 0; i < length / 2; i++) {
            byte b = data[from + i];
            data[from + i] = data[from + length - 1 - i];
            data[from + length - 1 - i] = b;
        }
    }
}
