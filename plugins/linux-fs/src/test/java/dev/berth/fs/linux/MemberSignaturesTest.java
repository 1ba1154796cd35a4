package dev.berth.fs.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.BlockDevice;
import dev.berth.spi.DeviceException;
import dev.berth.spi.DeviceSignature;
import dev.berth.spi.DeviceSignature.Recognized;
import dev.berth.spi.DeviceSignature.UnknownData;
import dev.berth.spi.FilesystemSpec;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypted and member devices, written byte by byte where libblkid looks for them, come
 * back with blkid's names (crypto_LUKS, LVM2_member, linux_raid_member, zfs_member, bcache)
 * instead of "unknown data", and are never mountable.
 */
class MemberSignaturesTest {
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

    private static byte[] le64(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    private static byte[] le32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    private static Recognized member(String type, String uuid) {
        return new Recognized(type, false, Optional.ofNullable(uuid), OptionalLong.empty());
    }

    @Test
    void lvmPhysicalVolumeLabelInSectorOneIsLvm2Member() throws Exception {
        var file = image(SIZE);
        write(file, 512, "LABELONE".getBytes(StandardCharsets.US_ASCII));
        write(file, 512 + 8, le64(1)); // the label names its own sector
        write(file, 512 + 0x18, "LVM2 001".getBytes(StandardCharsets.US_ASCII));
        write(file, 512 + 0x20, "abcdefGHIJklmnOPQRstuvWXYZ012345".getBytes(StandardCharsets.US_ASCII));
        assertEquals(member("LVM2_member", "abcdef-GHIJ-klmn-OPQR-stuv-WXYZ-012345"), reader.probe(file, SIZE));
    }

    @Test
    void lvmLabelNamingAnotherSectorIsNotTrusted() throws Exception {
        var file = image(SIZE);
        write(file, 512, "LABELONE".getBytes(StandardCharsets.US_ASCII));
        write(file, 512 + 8, le64(3));
        write(file, 512 + 0x18, "LVM2 001".getBytes(StandardCharsets.US_ASCII));
        assertEquals(new UnknownData(512), reader.probe(file, SIZE), "still refused, only not named");
    }

    private static void mdVersion1(Path file, long offset) throws Exception {
        write(file, offset, le32(0xa92b4efc));
        write(file, offset + 4, le32(1));
        write(file, offset + 16, UUID_BYTES);
        write(file, offset + 0x90, le64(offset >> 9)); // super_offset, in sectors
    }

    @Test
    void mdRaidMetadata12At4KibIsLinuxRaidMember() throws Exception {
        var file = image(SIZE);
        mdVersion1(file, 0x1000);
        assertEquals(member("linux_raid_member", UUID), reader.probe(file, SIZE));
    }

    @Test
    void mdRaid1Metadata10AtTheEndWinsOverTheArraysFilesystemAtTheStart() throws Exception {
        var file = image(SIZE);
        write(file, 1080, new byte[] {0x53, (byte) 0xef}); // the mirrored ext magic at the start
        mdVersion1(file, (SIZE & ~0xfffL) - 0x2000);
        var found = reader.probe(file, SIZE);
        assertEquals(member("linux_raid_member", UUID), found, "a RAID member must never be mounted on its own");
    }

    @Test
    void mdRaidMetadata090AtTheEndIsLinuxRaidMember() throws Exception {
        var file = image(SIZE);
        long at = (SIZE & ~0xffffL) - 0x10000;
        write(file, at, le32(0xa92b4efc)); // the set UUID as four host-endian words, printed big-endian
        write(file, at + 20, le32(0x01234567));
        write(file, at + 52, le32(0x89abcdef));
        write(file, at + 56, le32(0x01234567));
        write(file, at + 60, le32(0x89abcdef));
        assertEquals(member("linux_raid_member", UUID), reader.probe(file, SIZE));
    }

    @Test
    void zfsUberblocksInTheLabelsAreZfsMember() throws Exception {
        long size = 64L << 20;
        var file = image(size);
        for (long label : new long[] {0, 256 * 1024}) {
            write(file, label + 128 * 1024, le64(0x00bab10cL));
            write(file, label + 128 * 1024 + 4096, le64(0x00bab10cL));
        }
        assertEquals(member("zfs_member", null), reader.probe(file, size));
    }

    @Test
    void fewerThanFourZfsUberblocksAreNotEnoughToNameIt() throws Exception {
        long size = 64L << 20;
        var file = image(size);
        write(file, 128 * 1024, le64(0x00bab10cL));
        assertEquals(new UnknownData(128 * 1024), reader.probe(file, size));
    }

    @Test
    void bcacheSuperblockIsBcache() throws Exception {
        var file = image(SIZE);
        write(file, 0x1000 + 8, le64(8));
        write(file, 0x1000 + 24, HexFormat.of().parseHex("c68573f64e1a45ca8265f57f48ba6d81"));
        write(file, 0x1000 + 40, UUID_BYTES);
        assertEquals(member("bcache", UUID), reader.probe(file, SIZE));
    }

    @Test
    void luks2SecondaryHeaderIsCryptoLuksWhenThePrimaryIsGone() throws Exception {
        var file = image(SIZE);
        write(file, 0x4000, new byte[] {'S', 'K', 'U', 'L', (byte) 0xba, (byte) 0xbe, 0, 2});
        write(file, 0x4000 + 168, UUID.getBytes(StandardCharsets.US_ASCII));
        write(file, 0x4000 + 256, ByteBuffer.allocate(8).putLong(0x4000).array()); // hdr_offset, big-endian
        assertEquals(member("crypto_LUKS", UUID), reader.probe(file, SIZE));
    }

    @Test
    void theDriverRefusesToFormatAMemberAndNamesItAsBlkidDoes() throws Exception {
        var file = image(SIZE);
        mdVersion1(file, 0x1000);
        var info = Files.writeString(dir.resolve("mountinfo"), "");
        var driver = new LinuxFileSystemDriver(new LinuxFsSettings(dir.resolve("sys"), dir.resolve("dev"), dir.resolve("dev/disk/by-id"), info,
                java.time.Duration.ofSeconds(5), List.of(Files.createDirectories(dir.resolve("no-tools"))),
                Optional.empty()));
        var error = assertThrows(DeviceException.class, () -> driver.makeFilesystem(new BlockDevice(file, SIZE,
                Optional.empty()), new FilesystemSpec("ext4", List.of(), Optional.empty())));
        assertTrue(error.getMessage().contains("a linux_raid_member signature (UUID " + UUID + ")"), error.getMessage());
        DeviceSignature found = reader.probe(file, SIZE);
        assertFalse(assertInstanceOf(Recognized.class, found).mountable());
    }
}
