package dev.berth.fs.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.BlockDevices;
import dev.berth.spi.PluginConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceResolutionTest {
    @TempDir
    Path root;

    private static BlockDevices devices(FixtureMachine machine) {
        return new LinuxBlockDevicesFactory().create(machine.config());
    }

    @Test
    void ebsVolumeOnNitroIsFoundByItsNvmeSerialWhateverNameWasAskedFor() {
        var machine = FixtureMachine.nitro(root);
        var device = devices(machine).resolve("vol-0cccccccccccccccc", "/dev/sdf").orElseThrow();
        assertEquals(machine.device("nvme3n1"), device.path());
        assertEquals(200L << 30, device.sizeBytes());
        assertEquals(Optional.of("vol0cccccccccccccccc"), device.serial());
    }

    @Test
    void rootVolumeIsFoundByItsSerialToo() {
        var machine = FixtureMachine.nitro(root);
        var device = devices(machine).resolve("vol-0aaaaaaaaaaaaaaaa", "/dev/xvda").orElseThrow();
        assertEquals(machine.device("nvme0n1"), device.path());
    }

    @Test
    void byIdLinkFindsTheDeviceWhenSysShowsNoSerial() {
        var machine = FixtureMachine.nitro(root).removeSerial("nvme2n1");
        var device = devices(machine).resolve("vol-0bbbbbbbbbbbbbbbb", "/dev/sdg").orElseThrow();
        assertEquals(machine.device("nvme2n1"), device.path());
    }

    @Test
    void byIdLinksInTheConfiguredDirectoryAreFoundAndTheDefaultOneIsNotLookedAt() throws Exception {
        var machine = FixtureMachine.nitro(root).removeSerial("nvme2n1");
        var elsewhere = Files.createDirectories(root.resolve("bridge/by-id"));
        Files.delete(machine.dev.resolve("disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0bbbbbbbbbbbbbbbb"));
        Files.createSymbolicLink(elsewhere.resolve("nvme-Amazon_Elastic_Block_Store_vol0bbbbbbbbbbbbbbbb"),
                machine.dev.resolve("nvme2n1"));
        assertEquals(Optional.empty(), devices(machine).resolve("vol-0bbbbbbbbbbbbbbbb", "/dev/sdg"));
        var configured = new LinuxBlockDevicesFactory().create(new PluginConfig("devices", Map.of("sysRoot",
                machine.sys.toString(), "devRoot", machine.dev.toString(), "byIdDir", elsewhere.toString())));
        assertEquals(machine.device("nvme2n1"), configured.resolve("vol-0bbbbbbbbbbbbbbbb", "/dev/sdg").orElseThrow().path());
    }

    @Test
    void volumeNotYetAttachedResolvesToNothingAndNeverToTheInstanceStore() {
        var machine = FixtureMachine.nitro(root);
        assertEquals(Optional.empty(), devices(machine).resolve("vol-0dddddddddddddddd", "/dev/sdh"));
    }

    @Test
    void requestedNameLinkedToAnotherVolumesDeviceIsNotTaken() {
        var machine = FixtureMachine.nitro(root);
        machine.devLink("sdh", "nvme2n1"); // udev's /dev/sdh -> nvme2n1, but nvme2n1 is vol-0bbb...
        assertTrue(Files.exists(machine.dev.resolve("sdh")));
        assertEquals(Optional.empty(), devices(machine).resolve("vol-0dddddddddddddddd", "/dev/sdh"));
    }

    @Test
    void instanceStoreDiskAskedForByNameIsNeverTakenForAnEbsVolume() {
        var machine = FixtureMachine.nitro(root);
        assertEquals(Optional.empty(), devices(machine).resolve("vol-0dddddddddddddddd", "/dev/nvme1n1"));
    }

    @Test
    void requestedNameLinkedToTheVolumesOwnDeviceIsTaken() {
        var machine = FixtureMachine.nitro(root).removeSerial("nvme3n1");
        machine.devLink("sdf", "nvme3n1");
        var device = devices(machine).resolve("vol-0eeeeeeeeeeeeeeee", "/dev/sdf").orElseThrow();
        assertEquals(machine.device("nvme3n1"), device.path());
    }

    @Test
    void xenVolumeAskedForAsSdfIsFoundAsXvdf() {
        var machine = FixtureMachine.xen(root);
        var device = devices(machine).resolve("vol-0fffffffffffffff0", "/dev/sdf").orElseThrow();
        assertEquals(machine.device("xvdf"), device.path());
        assertEquals(50L << 30, device.sizeBytes());
        assertEquals(Optional.empty(), device.serial());
    }

    @Test
    void xenVolumeAskedForAsXvdfOrSdfIsFoundUnderTheNameThatExists() {
        var machine = FixtureMachine.xen(root).disk("sdg", 10L << 30, null, null);
        assertEquals(machine.device("xvdf"), devices(machine).resolve("vol-1", "/dev/xvdf").orElseThrow().path());
        assertEquals(machine.device("sdg"), devices(machine).resolve("vol-2", "/dev/sdg").orElseThrow().path());
        assertEquals(machine.device("sdg"), devices(machine).resolve("vol-2", "/dev/xvdg").orElseThrow().path());
    }

    @Test
    void xenVolumeNotYetAttachedResolvesToNothing() {
        var machine = FixtureMachine.xen(root);
        assertEquals(Optional.empty(), devices(machine).resolve("vol-0fffffffffffffff0", "/dev/sdk"));
    }

    @Test
    void loopDeviceWithoutBackingFileIsNotReady() {
        var machine = new FixtureMachine(root).disk("loop3", 0, null, null);
        assertEquals(Optional.empty(), devices(machine).resolve("local-disk", "/dev/loop3"));
        machine.disk("loop3", 64L << 20, null, null);
        assertEquals(64L << 20, devices(machine).resolve("local-disk", "/dev/loop3").orElseThrow().sizeBytes());
    }

    @Test
    void plainPathOutsideDevIsTakenAsItIsForNonAwsUse() throws Exception {
        var image = root.resolve("disk.img");
        try (var file = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(3 << 20);
        }
        var devices = new LinuxBlockDevicesFactory().create(new PluginConfig("devices",
                Map.of("sysRoot", root.resolve("nosys").toString())));
        var device = devices.resolve("local-disk", image.toString()).orElseThrow();
        assertEquals(image.toRealPath(), device.path());
        assertEquals(3 << 20, device.sizeBytes());
    }
}
