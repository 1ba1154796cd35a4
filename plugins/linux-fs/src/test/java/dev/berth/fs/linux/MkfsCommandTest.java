package dev.berth.fs.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.DeviceException;
import dev.berth.spi.FilesystemSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MkfsCommandTest {
    @Test
    void labelAndConfiguredArgumentsComeBeforeTheDevice() {
        var spec = new FilesystemSpec("ext4", List.of("-m", "0", "-E", "lazy_itable_init=1"), Optional.of("data"));
        assertEquals(List.of("/usr/sbin/mkfs.ext4", "-L", "data", "-m", "0", "-E", "lazy_itable_init=1", "/dev/nvme1n1"),
                MkfsCommand.commandLine(Path.of("/usr/sbin/mkfs.ext4"), spec, Path.of("/dev/nvme1n1")));
    }

    @Test
    void typeSelectsTheTool() {
        var device = Path.of("/dev/xvdf");
        assertEquals(Tool.MKFS_XFS, MkfsCommand.toolFor(new FilesystemSpec("xfs", List.of(), Optional.empty()), device));
        assertEquals(Tool.MKFS_BTRFS, MkfsCommand.toolFor(new FilesystemSpec("btrfs", List.of(), Optional.empty()), device));
    }

    @Test
    void unknownTypeIsRefusedWithTheTypesBerthMakes() {
        var error = assertThrows(DeviceException.class,
                () -> MkfsCommand.toolFor(new FilesystemSpec("ntfs", List.of(), Optional.empty()), Path.of("/dev/xvdf")));
        assertTrue(error.getMessage().contains("ntfs") && error.getMessage().contains("ext4, xfs and btrfs"), error.getMessage());
    }
}
