package dev.berth.fs.linux;

import dev.berth.store.tck.TestServers;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real loop devices over sparse files, for tests. {@link #assumeAvailable()} skips a test
 * (with the reason) where root or losetup is missing; {@link #close()} unmounts what the
 * test mounted and detaches every loop device it attached, also after a failure.
 */
final class LoopDevices implements AutoCloseable {
    private final List<Path> attached = new ArrayList<>();
    private final List<Path> mountPoints = new ArrayList<>();

    /**
     * Skips with the reason where the machine lacks what the test needs; under CI=true (where
     * .ci/run installs the tools and runs as root) the same lack is a failure, never a skip.
     */
    static void require(boolean available, String reason) {
        TestServers.need(available, reason);
    }

    static void assumeAvailable() {
        require(Files.exists(Path.of("/dev/loop-control")), "no /dev/loop-control: this kernel or container offers no loop devices");
        var uid = tryRun("id", "-u");
        require(uid.exit == 0 && uid.stdout.strip().equals("0"), "loop-device tests need root (running as uid " + uid.stdout.strip() + ")");
        var losetup = tryRun("losetup", "--version");
        require(losetup.exit == 0, "losetup is not installed (Debian package mount): " + losetup.stderr);
    }

    static void assumeTool(String tool, String debianPackage) {
        var found = tryRun("sh", "-c", "command -v " + tool + " || test -x /usr/sbin/" + tool + " || test -x /sbin/" + tool);
        require(found.exit == 0, tool + " is not installed (apt-get install " + debianPackage + ")");
    }

    /** Skips unless this process holds a capability (bit number as in linux/capability.h). */
    static void assumeCapability(int bit, String name, String purpose) throws IOException {
        long mask = effectiveCapabilities();
        assumeTrue((mask & (1L << bit)) != 0, purpose + " needs " + name + ", which this process lacks (CapEff "
                + Long.toHexString(mask) + "); on EC2 as root it is there");
    }

    /** Skips when this process holds a capability: for tests of what happens without it. */
    static void assumeNoCapability(int bit, String name, String purpose) throws IOException {
        assumeTrue((effectiveCapabilities() & (1L << bit)) == 0, purpose + " needs a process without " + name
                + ", and this one has it (the positive test runs instead)");
    }

    private static long effectiveCapabilities() throws IOException {
        var effective = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("CapEff:")).findFirst().orElse("CapEff: 0");
        return Long.parseUnsignedLong(effective.substring("CapEff:".length()).strip(), 16);
    }

    static Path sparseFile(Path dir, String name, long sizeBytes) throws IOException {
        var file = dir.resolve(name);
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(sizeBytes);
        }
        return file;
    }

    Path attach(Path file) {
        var result = tryRun("losetup", "-f", "--show", file.toString());
        // out of loop devices, or the container forbids them: a reason to skip here, a failure in CI
        require(result.exit == 0, "losetup -f --show " + file + " failed: " + result.stderr.strip());
        var device = Path.of(result.stdout.strip());
        attached.add(device);
        return device;
    }

    /** Grows the backing file and tells the loop device to re-read its size. */
    void grow(Path device, Path file, long newSizeBytes) throws IOException {
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(newSizeBytes);
        }
        run("losetup", "-c", device.toString());
    }

    /** Registers a mount point for cleanup (before mounting there). */
    Path mountPoint(Path dir) throws IOException {
        var point = Files.createDirectories(dir).toRealPath();
        mountPoints.add(point);
        return point;
    }

    static String run(String... command) {
        var result = tryRun(command);
        if (result.exit != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + result.exit + "): " + result.stderr);
        }
        return result.stdout;
    }

    @Override
    public void close() {
        for (var point : mountPoints.reversed()) {
            for (int i = 0; i < 5 && isMounted(point); i++) {
                if (tryRun("umount", point.toString()).exit != 0) {
                    tryRun("umount", "-l", point.toString());
                }
            }
        }
        for (var device : attached) {
            tryRun("losetup", "-d", device.toString());
        }
        mountPoints.clear();
        attached.clear();
    }

    private static boolean isMounted(Path point) {
        return new MountTable(Path.of("/proc/self/mountinfo")).at(point).isPresent();
    }

    record Result(int exit, String stdout, String stderr) {
    }

    static Result tryRun(String... command) {
        try {
            var process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            var out = process.getInputStream().readAllBytes();
            var err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "", "timed out");
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "", e.toString());
        }
    }
}
