package dev.berth.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.BlockDevice;
import dev.berth.spi.DeviceException;
import dev.berth.spi.DeviceSignature;
import dev.berth.spi.FileSystemDriver.GrowResult;
import dev.berth.spi.FileSystemDriver.MountResult;
import dev.berth.spi.FilesystemSpec;
import dev.berth.spi.MountSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory as a device: probe, format (a marker file), mount (a symlink). */
class StaticBlockDevicesTest {
    private static final String VOLUME = "vol-0123456789abcdef0";
    private static final FilesystemSpec EXT4 = new FilesystemSpec("ext4", List.of(), Optional.empty());

    @TempDir
    Path dir;
    private final StaticBlockDevices devices = new StaticBlockDevices();

    private BlockDevice device() throws Exception {
        Files.createDirectories(dir.resolve("volumes").resolve(VOLUME));
        return devices.resolve(VOLUME, dir.resolve("volumes").resolve(VOLUME).toString()).orElseThrow();
    }

    @Test
    void resolvesTheDirectoryOfAVolume() throws Exception {
        assertEquals(Optional.empty(), devices.resolve(VOLUME, dir.resolve("volumes").resolve(VOLUME).toString()));
        var device = device();
        assertEquals(Optional.of(VOLUME), device.serial());
        assertTrue(device.sizeBytes() > 0);
        assertThrows(DeviceException.class, () -> devices.resolve(VOLUME, dir.resolve("elsewhere").toString()));
    }

    @Test
    void aBlankDirectoryIsFormattedOnceThenRecognized() throws Exception {
        var device = device();
        assertInstanceOf(DeviceSignature.Blank.class, devices.probe(device));
        devices.makeFilesystem(device, EXT4);
        assertTrue(Files.exists(device.path().resolve(StaticBlockDevices.FORMATTED_MARKER)));
        var seen = assertInstanceOf(DeviceSignature.Recognized.class, devices.probe(device));
        assertEquals("dir", seen.type());
        assertTrue(seen.mountable());
        var again = assertThrows(DeviceException.class, () -> devices.makeFilesystem(device, EXT4));
        assertTrue(again.getMessage().contains("already formatted"), again.getMessage());
    }

    @Test
    void aNonEmptyUnformattedDirectoryIsNeverFormatted() throws Exception {
        var device = device();
        Files.writeString(device.path().resolve("chain.db"), "precious");
        assertInstanceOf(DeviceSignature.Recognized.class, devices.probe(device));
        var refused = assertThrows(DeviceException.class, () -> devices.makeFilesystem(device, EXT4));
        assertTrue(refused.getMessage().contains(device.path().toString()), refused.getMessage());
        assertTrue(Files.notExists(device.path().resolve(StaticBlockDevices.FORMATTED_MARKER)));
        assertEquals("precious", Files.readString(device.path().resolve("chain.db")));
    }

    @Test
    void mountIsAnIdempotentSymlinkAndRefusesAForeignMountPoint() throws Exception {
        var device = device();
        var mountPoint = dir.resolve("mnt").resolve("data");
        var spec = new MountSpec(mountPoint, "ext4", List.of("noatime"));
        assertEquals(Optional.empty(), devices.mountedSource(mountPoint));
        assertInstanceOf(MountResult.Mounted.class, devices.mount(device, spec));
        assertInstanceOf(MountResult.AlreadyMounted.class, devices.mount(device, spec));
        assertEquals(Optional.of(device.path().toString()), devices.mountedSource(mountPoint));
        assertInstanceOf(GrowResult.AlreadyFull.class, devices.grow(device, mountPoint));

        Files.createDirectories(dir.resolve("volumes").resolve("vol-0000000000000000f"));
        var other = devices.resolve("vol-0000000000000000f",
                dir.resolve("volumes").resolve("vol-0000000000000000f").toString()).orElseThrow();
        var taken = assertThrows(DeviceException.class, () -> devices.mount(other, spec));
        assertTrue(taken.getMessage().contains(mountPoint.toString()), taken.getMessage());

        devices.unmount(mountPoint);
        devices.unmount(mountPoint);
        assertTrue(Files.notExists(mountPoint, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isDirectory(device.path()), "unmount never touches the data");

        var plainDirectory = dir.resolve("mnt").resolve("plain");
        Files.createDirectories(plainDirectory);
        var foreign = assertThrows(DeviceException.class,
                () -> devices.mount(device, new MountSpec(plainDirectory, "ext4", List.of())));
        assertTrue(foreign.getMessage().contains("is a directory"), foreign.getMessage());
        devices.unmount(plainDirectory);
        assertTrue(Files.isDirectory(plainDirectory), "unmount leaves what berth did not link alone");
    }
}
