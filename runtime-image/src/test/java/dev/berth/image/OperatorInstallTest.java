package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator does with the tarball, as the README says: verify it with sha256sum, unpack it
 * into a folder of its own (not the build folder), link bin/berth from a folder on the PATH, and run
 * berth by name from yet another working directory, whose relative paths berth keeps.
 */
class OperatorInstallTest {
    private static final Path TARBALL = Path.of(System.getProperty("berth.tarball", "target/berth.tar.gz")).toAbsolutePath();

    /** The operator's machine: the download folder, /opt, a folder on the PATH and a working directory. */
    private record Machine(Path opt, Path bin, Path cwd) {
        static Machine install(Path root) throws Exception {
            var download = Files.createDirectories(root.resolve("download"));
            var name = TARBALL.getFileName().toString();
            Files.copy(TARBALL, download.resolve(name));
            Files.copy(TARBALL.resolveSibling(name + ".sha256"), download.resolve(name + ".sha256"));
            var check = ImageProcess.run(download, Map.of(), List.of("sha256sum", "-c", name + ".sha256"));
            assertEquals(0, check.code(), "sha256sum -c " + name + ".sha256: " + check);
            assertEquals(name + ": OK", check.out().strip());

            var opt = Files.createDirectories(root.resolve("opt"));
            var untar = ImageProcess.run(download, Map.of(), List.of("tar", "-xzf", name, "-C", opt.toString()));
            assertEquals(0, untar.code(), untar.toString());
            var bin = Files.createDirectories(root.resolve("usr/local/bin"));
            Files.createSymbolicLink(bin.resolve("berth"), opt.resolve("berth/bin/berth"));
            return new Machine(opt, bin, Files.createDirectories(root.resolve("home/operator")));
        }

        /** {@code berth ARGS} looked up on the PATH by the shell, as an operator types it. */
        ImageProcess.Result berth(Map<String, String> env, String... args) throws IOException, InterruptedException {
            var command = new ArrayList<>(List.of("/bin/sh", "-c", "exec berth \"$@\"", "sh"));
            command.addAll(List.of(args));
            var withPath = new java.util.HashMap<>(env);
            withPath.put("PATH", bin + ":/usr/bin:/bin");
            var r = ImageProcess.run(cwd, withPath, command);
            assertFalse(r.err().contains("SecurityException") || r.err().contains("sealing violation"), r.toString());
            return r;
        }

        ImageProcess.Result berth(String... args) throws IOException, InterruptedException {
            return berth(Map.of(), args);
        }
    }

    @Test
    void theUnpackedTarballRunsThroughASymlinkOnThePathFromAnotherDirectory(@TempDir Path root) throws Exception {
        var machine = Machine.install(root);
        assertFalse(Files.exists(machine.opt().resolve("berth/lib/berth.aot")), "the tarball holds no cache made for the build folder");

        var simulate = machine.berth("simulate", "--nodes", "20", "--seed", "1");
        assertEquals(0, simulate.code(), simulate.toString());
        assertTrue(simulate.out().contains("violations               0"), simulate.toString());

        var store = root.resolve("store");
        var claim = machine.berth("claim", "--provider", "sim", "--cluster", "demo", "--capacity", "2",
                "--store", "file://" + store, "--env-file", "berth.env");
        assertEquals(0, claim.code(), claim.toString());
        assertTrue(claim.out().startsWith("claimed slot 0 at epoch 1"), claim.toString());
        var env = Files.readString(machine.cwd().resolve("berth.env"));   // relative to the operator's working directory
        assertTrue(env.contains("BERTH_CLUSTER=demo\n") && env.contains("BERTH_SLOT=0\n") && env.contains("BERTH_EPOCH=1\n"), env);

        var plugins = machine.berth("plugins");
        assertEquals(0, plugins.code(), plugins.toString());
        // the plugins come from the installed image, not from the build folder
        assertTrue(plugins.out().contains("plugin " + machine.opt().resolve("berth/plugins/linux-fs").toRealPath()), plugins.toString());
    }

    @Test
    void theCacheMadeWhereTheImageIsInstalledIsUsedThroughTheSymlinkAndNotOnceTheImageMoved(@TempDir Path root) throws Exception {
        var machine = Machine.install(root);
        var image = machine.opt().resolve("berth").toRealPath();
        var made = ImageProcess.run(machine.cwd(), Map.of(), List.of(image.resolve("bin/berth-cache").toString()));
        assertEquals(0, made.code(), made.toString());
        assertEquals(image + "\n", Files.readString(image.resolve("lib/berth.aot.home")));

        var logAot = Map.of("BERTH_JAVA_OPTS", "-Xlog:aot=info");
        var cached = machine.berth(logAot, "simulate", "--nodes", "20", "--seed", "1");
        assertEquals(0, cached.code(), cached.toString());
        assertTrue(cached.out().contains("Opened AOT cache " + image.resolve("lib/berth.aot")), cached.toString());
        assertFalse(cached.out().contains("Unable to map"), cached.toString());

        // moved (or copied): the cache names jars of the old folder, so berth starts without it
        var moved = Files.move(image, machine.opt().resolve("berth-moved"));
        Files.delete(machine.bin().resolve("berth"));
        Files.createSymbolicLink(machine.bin().resolve("berth"), moved.resolve("bin/berth"));
        var uncached = machine.berth(logAot, "plugins");
        assertEquals(0, uncached.code(), uncached.toString());
        assertFalse(uncached.out().contains("berth.aot"), uncached.toString());
    }

    @Test
    void aCopyOfTheBuildImageStartsWithoutTheCacheMadeForTheBuildFolder(@TempDir Path root) throws Exception {
        // The build folder keeps its cache, and its jars stay where the cache says they are: the case where
        // the JVM, checking the module path only loosely, used to take the cache for the copy's jars.
        var copy = root.resolve("copy");
        var cp = ImageProcess.run(root, Map.of(), List.of("cp", "-r", ImageProcess.IMAGE.toString(), copy.toString()));
        assertEquals(0, cp.code(), cp.toString());
        for (var args : List.of(List.of("plugins"), List.of("simulate", "--nodes", "20", "--seed", "1"))) {
            var command = new ArrayList<>(List.of(copy.resolve("bin/berth").toString()));
            command.addAll(args);
            var r = ImageProcess.run(root, Map.of(), command);
            assertEquals(0, r.code(), r.toString());
            assertFalse(r.err().contains("SecurityException") || r.err().contains("sealing violation"), r.toString());
        }
    }
}
