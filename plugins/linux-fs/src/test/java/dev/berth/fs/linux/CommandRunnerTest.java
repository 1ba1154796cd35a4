package dev.berth.fs.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.DeviceException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRunnerTest {
    @TempDir
    Path dir;

    @Test
    void outputOfASuccessfulCommandIsReturned() {
        var output = new CommandRunner(Duration.ofSeconds(10)).run(List.of("/bin/sh", "-c", "echo out; echo err >&2"), "test");
        assertEquals("out\n", output.stdout());
        assertEquals("err\n", output.stderr());
    }

    @Test
    void nonZeroExitNamesTheCommandItsExitCodeAndItsStderr() {
        var error = assertThrows(DeviceException.class, () -> new CommandRunner(Duration.ofSeconds(10))
                .run(List.of("/bin/sh", "-c", "echo 'mkfs.ext4: Device size reported to be zero' >&2; exit 1"),
                        "make a filesystem on /dev/xvdf"));
        var message = error.getMessage();
        assertTrue(message.contains("/bin/sh -c"), message);
        assertTrue(message.contains("exit code 1"), message);
        assertTrue(message.contains("Device size reported to be zero"), message);
        assertTrue(message.contains("make a filesystem on /dev/xvdf"), message);
    }

    @Test
    void commandThatHangsIsKilledAtItsTimeout() {
        long start = System.nanoTime();
        var error = assertThrows(DeviceException.class,
                () -> new CommandRunner(Duration.ofMillis(300)).run(List.of("/bin/sleep", "30"), "wait"));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10);
        assertTrue(error.getMessage().contains("did not finish within"), error.getMessage());
    }

    @Test
    void missingToolNamesTheDebianPackageThatInstallsIt() {
        var locator = new ToolLocator(List.of(dir));
        var error = assertThrows(DeviceException.class, () -> locator.require(Tool.MKFS_XFS, "make an xfs filesystem"));
        var message = error.getMessage();
        assertTrue(message.contains("'mkfs.xfs'"), message);
        assertTrue(message.contains("xfsprogs"), message);
        assertTrue(message.contains("make an xfs filesystem"), message);
    }

    @Test
    void everyToolNamesAPackage() {
        for (var tool : Tool.values()) {
            assertTrue(!tool.debianPackage().isBlank(), tool.name());
        }
        assertEquals("btrfs-progs", Tool.MKFS_BTRFS.debianPackage());
        assertTrue(Tool.MOUNT.debianPackage().contains("util-linux"));
    }
}
