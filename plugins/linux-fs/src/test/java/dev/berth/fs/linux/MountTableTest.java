package dev.berth.fs.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountTableTest {
    @TempDir
    Path dir;

    @Test
    void lineWithOptionalFieldsIsParsed() {
        var entry = MountTable.parse("36 35 98:0 / /mnt/data rw,noatime shared:1 master:2 - ext4 /dev/nvme1n1 rw,errors=remount-ro")
                .orElseThrow();
        assertEquals(new MountTable.Entry("98:0", Path.of("/mnt/data"), "ext4", "/dev/nvme1n1"), entry);
    }

    @Test
    void escapedSpacesInMountPointsAreDecoded() {
        var entry = MountTable.parse("40 1 7:0 / /mnt/my\\040data rw - xfs /dev/loop0 rw").orElseThrow();
        assertEquals(Path.of("/mnt/my data"), entry.mountPoint());
    }

    @Test
    void garbageLinesAreSkipped() {
        assertEquals(Optional.empty(), MountTable.parse("not a mountinfo line"));
    }

    @Test
    void theLastMountOnAPointIsTheOneOnTop() throws Exception {
        var info = dir.resolve("mountinfo");
        Files.writeString(info, """
                22 1 259:1 / / rw - ext4 /dev/nvme0n1p1 rw
                30 22 259:2 / /data rw - ext4 /dev/nvme2n1 rw
                31 30 0:45 / /data rw - tmpfs tmpfs rw
                """);
        var table = new MountTable(info);
        assertEquals("tmpfs", table.at(Path.of("/data")).orElseThrow().source());
        assertEquals(Optional.empty(), table.at(Path.of("/elsewhere")));
        assertEquals(3, table.entries().size());
    }
}
