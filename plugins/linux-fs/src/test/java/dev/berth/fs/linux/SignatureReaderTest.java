package dev.berth.fs.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.DeviceSignature;
import dev.berth.spi.DeviceSignature.Blank;
import dev.berth.spi.DeviceSignature.Recognized;
import dev.berth.spi.DeviceSignature.UnknownData;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signatures written byte by byte into sparse files: no root and no tools needed. */
class SignatureReaderTest {
    private static final long SIZE = 8L << 20;
    private static final byte[] UUID_BYTES = HexFormat.of().parseHex("0123456789abcdef0123456789abcdef");
    private static final String UUID = "01234567-89ab-cdef-0123-456789abcdef";

    @TempDir
    Path dir;

    private final SignatureReader reader = new SignatureReader();

    private Path image(long size) throws Exception {
        var file = dir.resolve("image-" + System.nanoTime());
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
        return file;
    }

    private static void write(Path file, long offset, byte[] bytes) throws Exception {
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            raf.write(bytes);
        }
    }

    private static byte[] le(int size, long... values) {
        var buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (long value : values) {
            if (size == 4) {
                buffer.putInt((int) value);
            } else {
                buffer.putLong(value);
            }
        }
        return buffer.array();
    }

    private DeviceSignature probe(Path file) {
        return reader.probe(file, SIZE);
    }

    private Path ext(int compat, int incompat) throws Exception {
        var file = image(SIZE);
        write(file, 1024, le(4, 999)); // s_inodes_count, not the size
        write(file, 1024 + 4, le(4, 2048)); // s_blocks_count_lo
        write(file, 1024 + 0x18, le(4, 2)); // s_log_block_size: 4096
        write(file, 1080, new byte[] {0x53, (byte) 0xef});
        write(file, 1024 + 0x5c, le(4, compat));
        write(file, 1024 + 0x60, le(4, incompat));
        write(file, 1024 + 0x68, UUID_BYTES);
        return file;
    }

    @Test
    void allZerosIsBlank() throws Exception {
        assertInstanceOf(Blank.class, probe(image(SIZE)));
    }

    @Test
    void ext4IsRecognisedByItsFeatureFlagsWithSizeAndUuid() throws Exception {
        var found = probe(ext(0x4, 0x40 | 0x200));
        assertEquals(new Recognized("ext4", true, Optional.of(UUID), OptionalLong.of(2048L * 4096)), found);
    }

    @Test
    void ext4With64BitBlockCountAddsTheHighWord() throws Exception {
        var file = ext(0x4, 0x80);
        write(file, 1024 + 0x150, le(4, 1));
        var found = (Recognized) probe(file);
        assertEquals("ext4", found.type());
        assertEquals(OptionalLong.of(((1L << 32) + 2048) * 4096), found.filesystemSizeBytes());
    }

    @Test
    void ext3IsAnExtWithAJournalAndNoExt4Features() throws Exception {
        assertEquals("ext3", probe(ext(0x4, 0x2)).name());
    }

    @Test
    void ext2HasNeitherJournalNorExt4Features() throws Exception {
        assertEquals("ext2", probe(ext(0, 0x2)).name());
    }

    @Test
    void xfsIsRecognisedWithSizeFromDataBlocks() throws Exception {
        var file = image(SIZE);
        var sb = ByteBuffer.allocate(48).order(ByteOrder.BIG_ENDIAN);
        sb.put("XFSB".getBytes(StandardCharsets.US_ASCII)).putInt(4096).putLong(131072).putLong(0).putLong(0);
        sb.put(UUID_BYTES);
        write(file, 0, sb.array());
        assertEquals(new Recognized("xfs", true, Optional.of(UUID), OptionalLong.of(131072L * 4096)), probe(file));
    }

    @Test
    void btrfsIsRecognisedAt64KiB() throws Exception {
        var file = image(SIZE);
        write(file, 0x10020, UUID_BYTES);
        write(file, 0x10040, "_BHRfS_M".getBytes(StandardCharsets.US_ASCII));
        write(file, 0x10070, le(8, 256L << 20));
        assertEquals(new Recognized("btrfs", true, Optional.of(UUID), OptionalLong.of(256L << 20)), probe(file));
    }

    @Test
    void luksIsRecognisedAndNotMountable() throws Exception {
        var file = image(SIZE);
        write(file, 0, new byte[] {'L', 'U', 'K', 'S', (byte) 0xba, (byte) 0xbe, 0, 2});
        write(file, 168, UUID.getBytes(StandardCharsets.US_ASCII));
        assertEquals(new Recognized("crypto_LUKS", false, Optional.of(UUID), OptionalLong.empty()), probe(file));
    }

    @Test
    void swapIsRecognisedAtTheEndOfThePage() throws Exception {
        var file = image(SIZE);
        write(file, 4096 - 10, "SWAPSPACE2".getBytes(StandardCharsets.US_ASCII));
        write(file, 1024 + 12, UUID_BYTES);
        assertEquals(new Recognized("swap", false, Optional.of(UUID), OptionalLong.empty()), probe(file));
    }

    @Test
    void oldSwapWithoutUuidIsStillSwap() throws Exception {
        var file = image(SIZE);
        write(file, 4096 - 10, "SWAP-SPACE".getBytes(StandardCharsets.US_ASCII));
        var found = (Recognized) probe(file);
        assertEquals("swap", found.type());
        assertFalse(found.mountable());
    }

    @Test
    void gptIsRecognisedBeforeItsProtectiveMbr() throws Exception {
        var file = image(SIZE);
        var mbr = new byte[512];
        mbr[446 + 4] = (byte) 0xee;
        mbr[446 + 8] = 1;
        mbr[446 + 12] = (byte) 0xff;
        mbr[510] = 0x55;
        mbr[511] = (byte) 0xaa;
        write(file, 0, mbr);
        write(file, 512, "EFI PART".getBytes(StandardCharsets.US_ASCII));
        write(file, 512 + 56, UUID_BYTES);
        var found = (Recognized) probe(file);
        assertEquals("gpt", found.type());
        assertEquals(Optional.of("67452301-ab89-efcd-0123-456789abcdef"), found.uuid());
    }

    @Test
    void mbrWithAPartitionIsRecognised() throws Exception {
        var file = image(SIZE);
        write(file, 440, new byte[] {0x78, 0x56, 0x34, 0x12});
        write(file, 446 + 4, new byte[] {(byte) 0x83});
        write(file, 446 + 8, le(4, 2048));
        write(file, 446 + 12, le(4, 4096));
        write(file, 510, new byte[] {0x55, (byte) 0xaa});
        assertEquals(new Recognized("mbr", false, Optional.of("12345678"), OptionalLong.empty()), probe(file));
    }

    @Test
    void bootSignatureWithoutPartitionsIsUnknownDataNotBlank() throws Exception {
        var file = image(SIZE);
        write(file, 510, new byte[] {0x55, (byte) 0xaa});
        assertEquals(new UnknownData(510), probe(file));
    }

    @Test
    void oneNonZeroByteInTheFirstMibIsUnknownData() throws Exception {
        var file = image(SIZE);
        write(file, 777_777, new byte[] {1});
        assertEquals(new UnknownData(777_777), probe(file));
    }

    @Test
    void oneNonZeroByteInTheLastMibIsUnknownData() throws Exception {
        var file = image(SIZE);
        write(file, SIZE - 1, new byte[] {(byte) 0x80});
        assertEquals(new UnknownData(SIZE - 1), probe(file));
    }

    @Test
    void dataBetweenTheFirstAndLastMibIsNotLookedAt() throws Exception {
        var file = image(SIZE);
        write(file, SIZE / 2, new byte[] {1});
        assertInstanceOf(Blank.class, probe(file), "only the first and last MiB are read, as documented");
    }

    @Test
    void fileShorterThanOneMibIsScannedWhole() throws Exception {
        var file = image(4096);
        assertInstanceOf(Blank.class, reader.probe(file, 4096));
        write(file, 4095, new byte[] {7});
        assertEquals(new UnknownData(4095), reader.probe(file, 4096));
    }

    @Test
    void probeNeverWritesToTheDevice() throws Exception {
        var file = ext(0x4, 0x40);
        var before = java.nio.file.Files.readAllBytes(file);
        var lastModified = java.nio.file.Files.getLastModifiedTime(file);
        probe(file);
        assertTrue(java.util.Arrays.equals(before, java.nio.file.Files.readAllBytes(file)));
        assertEquals(lastModified, java.nio.file.Files.getLastModifiedTime(file));
    }
}
