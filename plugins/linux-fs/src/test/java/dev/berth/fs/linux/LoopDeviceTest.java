package dev.berth.fs.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.BlockDevice;
import dev.berth.spi.BlockDevices;
import dev.berth.spi.DeviceException;
import dev.berth.spi.DeviceSignature;
import dev.berth.spi.DeviceSignature.Blank;
import dev.berth.spi.DeviceSignature.Recognized;
import dev.berth.spi.DeviceSignature.UnknownData;
import dev.berth.spi.FileSystemDriver;
import dev.berth.spi.FileSystemDriver.GrowResult;
import dev.berth.spi.FileSystemDriver.MountResult;
import dev.berth.spi.FilesystemSpec;
import dev.berth.spi.MountSpec;
import dev.berth.spi.PluginConfig;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin on real loop devices over sparse files: needs root and losetup, and skips
 * (with the reason) where they are missing. Every test unmounts and detaches in
 * {@link #cleanUp()}, also when it fails; mount points live under a temp dir.
 */
class LoopDeviceTest {
    private static final long MIB = 1 << 20;
    private static final FilesystemSpec EXT4 = new FilesystemSpec("ext4", List.of("-q"), Optional.of("berth-test"));

    @TempDir
    Path dir;

    private final LoopDevices loops = new LoopDevices();
    private final PluginConfig config = new PluginConfig("devices", Map.of("commandTimeoutSeconds", "120"));
    private final BlockDevices devices = new LinuxBlockDevicesFactory().create(config);
    private final FileSystemDriver driver = new LinuxFileSystemDriverFactory().create(config);

    @BeforeEach
    void requireLoopDevices() {
        LoopDevices.assumeAvailable();
    }

    @AfterEach
    void cleanUp() {
        loops.close();
    }

    private BlockDevice attach(Path file) {
        var loop = loops.attach(file);
        return devices.resolve("local-" + file.getFileName(), loop.toString()).orElseThrow(
                () -> new AssertionError("attached " + loop + " but resolve did not find it"));
    }

    private BlockDevice blankDevice(long sizeBytes) throws Exception {
        return attach(LoopDevices.sparseFile(dir, "disk.img", sizeBytes));
    }

    private MountSpec mountSpec() throws Exception {
        return new MountSpec(loops.mountPoint(dir.resolve("mnt/data")), "ext4", List.of("noatime"));
    }

    /** The sequence `berth claim` runs for a slot's volume: mkfs only when blank, mount, grow. */
    private record Outcome(DeviceSignature before, MountResult mount, GrowResult grow) {
    }

    private Outcome prepare(BlockDevice device, MountSpec spec) {
        var before = devices.probe(device);
        if (before instanceof Blank) {
            driver.makeFilesystem(device, EXT4);
        }
        var mount = driver.mount(device, spec);
        return new Outcome(before, mount, driver.grow(device, spec.mountPoint()));
    }

    private void assertNeverFormatted(BlockDevice device, String expectedSignature) {
        var before = devices.probe(device);
        assertEquals(expectedSignature, before.name());
        var error = assertThrows(DeviceException.class, () -> driver.makeFilesystem(device, EXT4));
        assertTrue(error.getMessage().contains(device.path().toString()), error.getMessage());
        assertTrue(error.getMessage().contains("not blank"), error.getMessage());
        assertEquals(before, devices.probe(device), "the device must be unchanged");
    }

    @Test
    void blankDeviceIsFormattedAndMounted() throws Exception {
        var device = blankDevice(64 * MIB);
        assertEquals(64 * MIB, device.sizeBytes());
        var spec = mountSpec();

        var outcome = prepare(device, spec);

        assertInstanceOf(Blank.class, outcome.before());
        assertInstanceOf(MountResult.Mounted.class, outcome.mount());
        var made = (Recognized) devices.probe(device);
        assertEquals("ext4", made.type());
        assertTrue(made.uuid().isPresent());
        assertEquals(Optional.of(device.path().toString()), driver.mountedSource(spec.mountPoint()));
        var entry = new MountTable(Path.of("/proc/self/mountinfo")).at(spec.mountPoint()).orElseThrow();
        assertEquals("ext4", entry.filesystemType());
        Files.writeString(spec.mountPoint().resolve("written-by-test"), "hello");
        assertTrue(Files.exists(spec.mountPoint().resolve("lost+found")), "a fresh ext4 has lost+found");
    }

    @Test
    void secondRunOnAMountedFullFilesystemChangesNothing() throws Exception {
        var device = blankDevice(64 * MIB);
        var spec = mountSpec();
        prepare(device, spec);
        var uuid = ((Recognized) devices.probe(device)).uuid();
        Files.writeString(spec.mountPoint().resolve("data"), "kept");

        var second = prepare(device, spec);

        assertEquals("ext4", second.before().name(), "second run sees the filesystem and never formats");
        assertInstanceOf(MountResult.AlreadyMounted.class, second.mount());
        assertInstanceOf(GrowResult.AlreadyFull.class, second.grow());
        assertEquals(uuid, ((Recognized) devices.probe(device)).uuid());
        assertEquals("kept", Files.readString(spec.mountPoint().resolve("data")));
        long mounts = new MountTable(Path.of("/proc/self/mountinfo")).entries().stream()
                .filter(e -> e.mountPoint().equals(spec.mountPoint())).count();
        assertEquals(1, mounts, "mounted once, not twice");
    }

    @Test
    void deviceGrownFrom64To128MibGrowsItsExt4FilesystemOnce() throws Exception {
        // EXT4_IOC_RESIZE_FS (online resize2fs) needs CAP_SYS_RESOURCE, which some containers drop
        LoopDevices.assumeCapability(24, "CAP_SYS_RESOURCE", "online ext4 resize");
        assertGrowsOnce(EXT4, 64 * MIB, 128 * MIB);
    }

    @Test
    void ext4GrowWithoutCapSysResourceSaysWhichCapabilityIsMissing() throws Exception {
        LoopDevices.assumeNoCapability(24, "CAP_SYS_RESOURCE", "this test of the missing-capability message");
        var file = LoopDevices.sparseFile(dir, "disk.img", 64 * MIB);
        var device = attach(file);
        var spec = mountSpec();
        prepare(device, spec);
        loops.grow(device.path(), file, 128 * MIB);
        var grown = devices.resolve("local-disk", device.path().toString()).orElseThrow();

        var error = assertThrows(DeviceException.class, () -> driver.grow(grown, spec.mountPoint()));

        var message = error.getMessage();
        assertTrue(message.contains("resize2fs " + device.path()) && message.contains("exit code 1"), message);
        assertTrue(message.contains("CAP_SYS_RESOURCE"), message);
        assertEquals("ext4", devices.probe(grown).name(), "the filesystem is intact");
    }

    @Test
    void deviceGrownFrom512MibTo1GibGrowsItsXfsFilesystemOnce() throws Exception {
        LoopDevices.assumeTool("mkfs.xfs", "xfsprogs");
        assertGrowsOnce(new FilesystemSpec("xfs", List.of("-q"), Optional.empty()), 512 * MIB, 1024 * MIB);
    }

    @Test
    void deviceGrownFrom512MibTo1GibGrowsItsBtrfsFilesystemOnce() throws Exception {
        LoopDevices.assumeTool("mkfs.btrfs", "btrfs-progs");
        assertGrowsOnce(new FilesystemSpec("btrfs", List.of("-q"), Optional.empty()), 512 * MIB, 1024 * MIB);
    }

    private void assertGrowsOnce(FilesystemSpec filesystem, long fromBytes, long toBytes) throws Exception {
        var file = LoopDevices.sparseFile(dir, "disk.img", fromBytes);
        var device = attach(file);
        var spec = new MountSpec(loops.mountPoint(dir.resolve("mnt/data")), filesystem.type(), List.of("noatime"));
        driver.makeFilesystem(device, filesystem);
        assertInstanceOf(MountResult.Mounted.class, driver.mount(device, spec));
        assertInstanceOf(GrowResult.AlreadyFull.class, driver.grow(device, spec.mountPoint()), "fresh filesystem fills its device");
        Files.writeString(spec.mountPoint().resolve("data"), "kept");

        loops.grow(device.path(), file, toBytes);
        var grown = devices.resolve("local-disk", device.path().toString()).orElseThrow();
        assertEquals(toBytes, grown.sizeBytes());
        var result = driver.grow(grown, spec.mountPoint());

        var growth = assertInstanceOf(GrowResult.Grown.class, result);
        assertTrue(growth.fromBytes() <= fromBytes && growth.fromBytes() > fromBytes - 4 * MIB, growth.toString());
        assertTrue(growth.toBytes() > toBytes - 4 * MIB && growth.toBytes() <= toBytes, growth.toString());
        assertInstanceOf(GrowResult.AlreadyFull.class, driver.grow(grown, spec.mountPoint()), "a second run changes nothing");
        assertInstanceOf(MountResult.AlreadyMounted.class, driver.mount(grown, spec));
        assertTrue(spec.mountPoint().toFile().getTotalSpace() > fromBytes, "the kernel sees the grown filesystem");
        assertEquals("kept", Files.readString(spec.mountPoint().resolve("data")));
    }

    @Test
    void deviceWithExt4IsNeverFormatted() throws Exception {
        var device = blankDevice(64 * MIB);
        LoopDevices.run("mkfs.ext4", "-q", device.path().toString());
        assertNeverFormatted(device, "ext4");
        var found = (Recognized) devices.probe(device);
        assertEquals(64 * MIB, found.filesystemSizeBytes().orElseThrow());
        var blkid = LoopDevices.run("blkid", "-o", "value", "-s", "UUID", device.path().toString()).strip();
        assertEquals(Optional.of(blkid), found.uuid(), "the UUID berth reads is the one blkid reads");
    }

    @Test
    void deviceWithExt3IsNeverFormatted() throws Exception {
        var device = blankDevice(64 * MIB);
        LoopDevices.run("mkfs.ext3", "-q", device.path().toString());
        assertNeverFormatted(device, "ext3");
    }

    @Test
    void deviceWithXfsIsNeverFormatted() throws Exception {
        LoopDevices.assumeTool("mkfs.xfs", "xfsprogs");
        var device = blankDevice(512 * MIB); // xfsprogs 5.19+ refuses filesystems under 300 MB
        LoopDevices.run("mkfs.xfs", "-q", device.path().toString());
        assertNeverFormatted(device, "xfs");
        var found = (Recognized) devices.probe(device);
        assertTrue(found.mountable());
        assertEquals(512 * MIB, found.filesystemSizeBytes().orElseThrow());
    }

    @Test
    void deviceWithBtrfsIsNeverFormatted() throws Exception {
        LoopDevices.assumeTool("mkfs.btrfs", "btrfs-progs");
        var device = blankDevice(512 * MIB);
        LoopDevices.run("mkfs.btrfs", "-q", device.path().toString());
        assertNeverFormatted(device, "btrfs");
        assertEquals(512 * MIB, ((Recognized) devices.probe(device)).filesystemSizeBytes().orElseThrow());
    }

    @Test
    void deviceWithSwapIsNeverFormatted() throws Exception {
        LoopDevices.assumeTool("mkswap", "util-linux");
        var device = blankDevice(64 * MIB);
        LoopDevices.run("mkswap", device.path().toString());
        assertNeverFormatted(device, "swap");
    }

    @Test
    void deviceWithGptPartitionTableIsNeverFormatted() throws Exception {
        var device = blankDevice(64 * MIB);
        writePartitionTable(device, "gpt");
        assertNeverFormatted(device, "gpt");
    }

    @Test
    void deviceWithMbrPartitionTableIsNeverFormatted() throws Exception {
        var device = blankDevice(64 * MIB);
        writePartitionTable(device, "dos");
        assertNeverFormatted(device, "mbr");
    }

    @Test
    void deviceWithRandomBytesIsNeverFormatted() throws Exception {
        var file = LoopDevices.sparseFile(dir, "disk.img", 64 * MIB);
        var noise = new byte[4096];
        new Random(7).nextBytes(noise);
        noise[0] = 0;
        noise[1] = 0; // make the first non-zero byte land after offset 0
        noise[2] = 1;
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(8192);
            raf.write(noise);
        }
        var device = attach(file);
        assertEquals(new UnknownData(8192 + 2), devices.probe(device));
        assertNeverFormatted(device, "unknown-data");
    }

    @Test
    void deviceWithDataOnlyInItsLastMibIsNeverFormatted() throws Exception {
        var file = LoopDevices.sparseFile(dir, "disk.img", 64 * MIB);
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(64 * MIB - 100);
            raf.write(new byte[] {9});
        }
        var device = attach(file);
        assertNeverFormatted(device, "unknown-data");
    }

    @Test
    void mountPointHoldingAnotherDeviceIsAnErrorNotASecondMount() throws Exception {
        var first = attach(LoopDevices.sparseFile(dir, "first.img", 64 * MIB));
        var second = attach(LoopDevices.sparseFile(dir, "second.img", 64 * MIB));
        var spec = mountSpec();
        prepare(first, spec);
        driver.makeFilesystem(second, EXT4);

        var error = assertThrows(DeviceException.class, () -> driver.mount(second, spec));

        assertTrue(error.getMessage().contains(first.path().toString()), error.getMessage());
        assertEquals(Optional.of(first.path().toString()), driver.mountedSource(spec.mountPoint()));
    }

    @Test
    void unmountLeavesTheMountPointEmptyAndIsIdempotent() throws Exception {
        var device = blankDevice(64 * MIB);
        var spec = mountSpec();
        prepare(device, spec);
        driver.unmount(spec.mountPoint());
        assertEquals(Optional.empty(), driver.mountedSource(spec.mountPoint()));
        driver.unmount(spec.mountPoint());
        assertInstanceOf(MountResult.Mounted.class, driver.mount(device, spec), "mounts again after an unmount");
    }

    private static void writePartitionTable(BlockDevice device, String label) throws Exception {
        var sfdisk = LoopDevices.tryRun("sh", "-c", "printf 'label: " + label + "\\n,,L\\n' | sfdisk --no-reread -q "
                + device.path());
        if (sfdisk.exit() == 0) {
            return;
        }
        // no sfdisk (Debian package fdisk): write an MBR with one Linux partition by hand
        LoopDevices.require(label.equals("dos"),
                "sfdisk is not installed (apt-get install fdisk) and a GPT is not written by hand: " + sfdisk.stderr());
        var mbr = new byte[512];
        mbr[446 + 4] = (byte) 0x83;
        mbr[446 + 9] = 0x08; // first sector 2048 (little-endian)
        mbr[446 + 13] = 0x10; // 4096 sectors
        mbr[510] = 0x55;
        mbr[511] = (byte) 0xaa;
        try (var raf = new RandomAccessFile(device.path().toFile(), "rw")) {
            raf.write(mbr);
        }
    }
}
