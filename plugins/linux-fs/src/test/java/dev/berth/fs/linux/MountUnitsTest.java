package dev.berth.fs.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.MountSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MountUnitsTest {
    private static final MountSpec SPEC = new MountSpec(Path.of("/var/lib/avalanche-data"), "ext4", List.of("noatime"));

    @Test
    void fstabLineNamesTheFilesystemByUuidAndNeverBlocksBoot() {
        assertEquals("UUID=0f1e2d3c-0000-4000-8000-000000000001 /var/lib/avalanche-data ext4 noatime,nofail 0 2",
                MountUnits.fstabLine(SPEC, Path.of("/dev/nvme1n1"), Optional.of("0f1e2d3c-0000-4000-8000-000000000001")));
    }

    @Test
    void fstabLineWithoutUuidUsesTheDeviceAndNoFsckForXfs() {
        var spec = new MountSpec(Path.of("/mnt/my data"), "xfs", List.of());
        assertEquals("/dev/xvdf /mnt/my\\040data xfs nofail 0 0", MountUnits.fstabLine(spec, Path.of("/dev/xvdf"), Optional.empty()));
    }

    @Test
    void unitNameIsTheMountPointEscapedAsSystemdDoes() {
        assertEquals("var-lib-avalanche\\x2ddata.mount", MountUnits.systemdUnitName(Path.of("/var/lib/avalanche-data")));
        assertEquals("data.mount", MountUnits.systemdUnitName(Path.of("/data/")));
        assertEquals("-.mount", MountUnits.systemdUnitName(Path.of("/")));
        assertEquals("mnt-.hidden-a\\x20b.mount", MountUnits.systemdUnitName(Path.of("/mnt/.hidden/a b")));
        assertEquals("\\x2edata.mount", MountUnits.systemdUnitName(Path.of("/.data")));
    }

    @Test
    void unitMountsByUuidWithTheOptions() {
        var unit = MountUnits.systemdUnit(SPEC, Path.of("/dev/nvme1n1"), Optional.of("abc"));
        assertTrue(unit.contains("\n[Mount]\nWhat=/dev/disk/by-uuid/abc\nWhere=/var/lib/avalanche-data\nType=ext4\nOptions=noatime,nofail,x-systemd.device-timeout=30s\n"), unit);
        assertTrue(unit.contains("WantedBy=multi-user.target"), unit);
    }
}
