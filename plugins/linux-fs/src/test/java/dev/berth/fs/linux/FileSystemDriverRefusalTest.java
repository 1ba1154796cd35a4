package dev.berth.fs.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.BlockDevice;
import dev.berth.spi.DeviceException;
import dev.berth.spi.FileSystemDriver;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's refusals, decided before any tool runs: over image files and a fixture
 * mount table, so no root is needed. An empty tool path proves no tool was started.
 */
class FileSystemDriverRefusalTest {
    @TempDir
    Path dir;

    private FileSystemDriver driver(String mountInfo) throws Exception {
        return driver(mountInfo, Optional.empty());
    }

    private FileSystemDriver driver(String mountInfo, Optional<Path> mountUnitDir) throws Exception {
        var info = dir.resolve("mountinfo");
        Files.writeString(info, mountInfo);
        var empty = Files.createDirectories(dir.resolve("no-tools"));
        return new LinuxFileSystemDriver(new LinuxFsSettings(dir.resolve("sys"), dir.resolve("dev"), dir.resolve("dev/disk/by-id"), info,
                java.time.Duration.ofSeconds(5), List.of(empty), mountUnitDir));
    }

    private BlockDevice image(byte[] firstBytes) throws Exception {
        var file = dir.resolve("disk.img");
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(4 << 20);
            raf.write(firstBytes);
        }
        return new BlockDevice(file, 4 << 20, Optional.empty());
    }

    @Test
    void deviceWithUnknownDataIsNeverFormattedAndTheErrorSaysWhatToCheck() throws Exception {
        var device = image(new byte[] {0, 0, 42});
        var error = assertThrows(DeviceException.class,
                () -> driver("").makeFilesystem(device, new FilesystemSpec("ext4", List.of(), Optional.empty())));
        var message = error.getMessage();
        assertTrue(message.contains(device.path().toString()), message);
        assertTrue(message.contains("unrecognised non-zero data at byte offset 2"), message);
        assertTrue(message.contains("blkid"), message);
    }

    @Test
    void blankDeviceWithoutMkfsInstalledNamesThePackage() throws Exception {
        var device = image(new byte[0]);
        var error = assertThrows(DeviceException.class,
                () -> driver("").makeFilesystem(device, new FilesystemSpec("xfs", List.of(), Optional.empty())));
        assertTrue(error.getMessage().contains("xfsprogs"), error.getMessage());
    }

    @Test
    void mountPointWithThisDeviceAlreadyMountedIsAlreadyMounted() throws Exception {
        var device = image(new byte[0]);
        var mountPoint = Files.createDirectories(dir.resolve("data"));
        var driver = driver("30 22 7:9 / " + mountPoint.toRealPath() + " rw - ext4 " + device.path().toRealPath() + " rw\n");
        var result = driver.mount(device, new MountSpec(mountPoint, "ext4", List.of("noatime")));
        assertInstanceOf(MountResult.AlreadyMounted.class, result);
        assertEquals(Optional.of(device.path().toRealPath().toString()), driver.mountedSource(mountPoint));
    }

    @Test
    void mountWritesTheSystemdUnitWhenAMountUnitDirIsSet() throws Exception {
        var device = image(new byte[0]);
        var mountPoint = Files.createDirectories(dir.resolve("data"));
        var units = dir.resolve("units");
        var driver = driver("30 22 7:9 / " + mountPoint.toRealPath() + " rw - xfs " + device.path().toRealPath() + " rw\n",
                Optional.of(units));
        driver.mount(device, new MountSpec(mountPoint, "xfs", List.of("noatime")));
        var unit = Files.readString(units.resolve(MountUnits.systemdUnitName(mountPoint)));
        assertTrue(unit.contains("What=" + device.path() + "\n") && unit.contains("Options=noatime"), unit);
    }

    @Test
    void mountPointWithSomethingElseMountedIsAnErrorNotASecondMount() throws Exception {
        var device = image(new byte[0]);
        var mountPoint = Files.createDirectories(dir.resolve("data"));
        var driver = driver("30 22 259:3 / " + mountPoint.toRealPath() + " rw - ext4 /dev/nvme9n1 rw\n");
        var error = assertThrows(DeviceException.class,
                () -> driver.mount(device, new MountSpec(mountPoint, "ext4", List.of())));
        assertTrue(error.getMessage().contains("/dev/nvme9n1") && error.getMessage().contains("already mounted there"),
                error.getMessage());
    }

    @Test
    void unmountOfAnEmptyMountPointDoesNothing() throws Exception {
        driver("").unmount(dir.resolve("nothing-here"));
    }

    @Test
    void factoriesAreNamedLinuxAndDeclaredAsServices() {
        var config = PluginConfig.empty("devices");
        assertEquals("linux", new LinuxBlockDevicesFactory().name());
        assertEquals("linux", new LinuxFileSystemDriverFactory().name());
        assertInstanceOf(LinuxBlockDevices.class, new LinuxBlockDevicesFactory().create(config));
        assertInstanceOf(LinuxFileSystemDriver.class, new LinuxFileSystemDriverFactory().create(config));
        var module = LinuxBlockDevicesFactory.class.getModule();
        if (module.isNamed()) {
            var provides = module.getDescriptor().provides();
            assertEquals(2, provides.size(), provides.toString());
            assertTrue(module.getDescriptor().exports().isEmpty(), "the plugin exports nothing");
        }
    }
}
