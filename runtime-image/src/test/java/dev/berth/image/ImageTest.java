package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the built image the way an operator would: bin/berth, with no JDK on the PATH and no
 * JAVA_HOME, so only the image's own runtime can run it.
 */
class ImageTest {
    private static final Path IMAGE = ImageProcess.IMAGE;

    private static ImageProcess.Result berth(String... args) throws IOException, InterruptedException {
        var command = new ArrayList<String>();
        command.add(IMAGE.resolve("bin/berth").toString());
        command.addAll(List.of(args));
        return ImageProcess.run(Path.of("").toAbsolutePath(), Map.of(), command);
    }

    @Test
    void helpGivesEveryCommandAOneLineSummary() throws Exception {
        for (var group : List.of(List.of("--help"), List.of("store", "--help"), List.of("identity", "--help"),
                List.of("device", "--help"))) {
            var r = berth(group.toArray(String[]::new));
            assertEquals(0, r.code(), r.toString());
            var commands = r.out().lines().dropWhile(l -> !l.equals("Commands:")).skip(1).toList();
            assertFalse(commands.isEmpty(), "berth " + String.join(" ", group) + " lists no command:\n" + r.out());
            for (var line : commands) {
                // "  name   Summary." on one line: a summary that wraps continues on a line of spaces and text
                assertTrue(line.matches("  [a-z-]+ +\\S.*"), "a summary wrapped onto a second line: '" + line + "' in\n" + r.out());
                assertTrue(line.length() < 80 && line.endsWith("."), "not a one-line summary: '" + line + "'");
            }
        }
        var top = berth("--help").out();
        for (var command : List.of("claim", "keeper", "simulate", "store", "device", "identity", "iam-policy", "plugins")) {
            assertTrue(top.lines().anyMatch(l -> l.startsWith("  " + command + " ")), command + " in\n" + top);
        }
    }

    @Test
    void imageHasItsOwnRuntimeAndNoJdkTools() {
        assertTrue(Files.isExecutable(IMAGE.resolve("runtime/bin/java")));
        assertTrue(Files.notExists(IMAGE.resolve("runtime/bin/javac")), "the runtime is linked, not a JDK");
        assertTrue(Files.isRegularFile(IMAGE.resolve("conf/berth.yaml")));
        assertTrue(Files.isRegularFile(IMAGE.resolve("systemd/berth-claim.service")));
        assertTrue(Files.isDirectory(IMAGE.resolve("plugins/linux-fs")));
    }

    @Test
    void simulateInstanceRefreshOf200NodesHasNoViolationAndIsRepeatable() throws Exception {
        var first = berth("simulate", "--nodes", "200", "--zones", "3", "--scenario", "instance-refresh", "--seed", "1", "--json");
        assertEquals(0, first.code(), first.err());
        var json = first.out().strip();
        for (var field : new String[] {"\"violations\":0", "\"nodes\":200", "\"slots\":200", "\"volumesCreated\":200",
                "\"casAttemptsPerNode\":", "\"happyPathCalls\":"}) {
            assertTrue(json.contains(field), field + " in " + json);
        }
        var second = berth("simulate", "--nodes", "200", "--zones", "3", "--scenario", "instance-refresh", "--seed", "1", "--json");
        assertEquals(json, second.out().strip(), "the same seed must give byte-identical output");

        var table = berth("simulate", "--nodes", "200", "--zones", "3", "--scenario", "instance-refresh", "--seed", "1");
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("violations               0"), table.out());
        assertTrue(table.err().contains("[simulate]"), "a progress line on stderr: " + table.err());
    }

    @Test
    void badInputExitsWithTwo() throws Exception {
        var r = berth("simulate", "--scenario", "nope");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("unknown scenario 'nope'"), r.err());
    }

    @Test
    void theImagesPluginsLoadEachInItsOwnLayer() throws Exception {
        var r = berth("plugins");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("identity           avalanche"), r.out());
        assertTrue(r.out().contains("block devices      linux"), r.out());
        assertTrue(r.out().contains("claim store        file         built-in"), r.out());
        assertTrue(r.out().contains("layer linux-fs: dev.berth.fs.linux"), r.out());
    }

    @Test
    void aTinyThirdPartyPluginDroppedIntoPluginsIsLoaded(@TempDir Path dir) throws Exception {
        var plugins = dir.resolve("plugins");
        buildTinyPlugin(dir.resolve("src"), plugins.resolve("tiny").resolve("tiny-store.jar"));
        var r = berth("plugins", "--plugins", plugins.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("claim store") && l.contains("tiny")
                && l.contains("plugin") && l.contains("module tiny.store")), r.out());

        // the same name from a second folder is refused, naming both
        buildTinyPlugin(dir.resolve("src2"), plugins.resolve("tiny-copy").resolve("tiny-store.jar"));
        var twice = berth("plugins", "--plugins", plugins.toString());
        assertEquals(2, twice.code(), twice.out());
        assertTrue(twice.err().contains("two providers are named 'tiny'") && twice.err().contains("tiny-copy"), twice.err());
    }

    @Test
    void aThirdPartyJarWithoutAnIndexBesideTheIndexedPluginsIsFoundByName(@TempDir Path dir) throws Exception {
        var plugins = Files.createDirectories(dir.resolve("plugins"));
        try (var folders = Files.list(IMAGE.resolve("plugins"))) {
            for (var folder : folders.toList()) {
                Files.createSymbolicLink(plugins.resolve(folder.getFileName()), folder);
            }
        }
        assertTrue(Files.exists(plugins.resolve("aws").resolve("berth-plugin.properties")), "the image's plugins are indexed");
        buildTinyPlugin(dir.resolve("src"), plugins.resolve("tiny-store.jar"));
        var r = berth("claim", "--provider", "sim", "--cluster", "demo", "--store", "tiny://nowhere", "--plugins",
                plugins.toString(), "--env-file", dir.resolve("berth.env").toString());
        assertTrue(r.err().contains("tiny stores hold nothing"), "the tiny store was found and opened: " + r.err());

        var file = berth("claim", "--provider", "sim", "--cluster", "demo", "--store", "file://" + dir.resolve("store"),
                "--plugins", plugins.toString(), "--env-file", dir.resolve("berth.env").toString());
        assertEquals(0, file.code(), file.err());
    }

    @Test
    void claimWithTheSimProviderRunsFromTheImage(@TempDir Path dir) throws Exception {
        var r = berth("claim", "--provider", "sim", "--cluster", "demo", "--store", "file://" + dir.resolve("store"),
                "--env-file", dir.resolve("berth.env").toString(), "--capacity", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("claimed slot"), r.out());
        assertTrue(Files.readString(dir.resolve("berth.env")).contains("BERTH_CLUSTER=demo"));
    }

    @Test
    void deviceProbeReadsABlankImageAndAnExt4OneWithoutWritingAnything(@TempDir Path dir) throws Exception {
        var blank = dir.resolve("blank.img");
        try (var file = new java.io.RandomAccessFile(blank.toFile(), "rw")) {
            file.setLength(8L << 20);
        }
        var r = berth("device", "probe", blank.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"blank\":true") && r.out().contains("\"sizeBytes\":8388608"), r.out());
        assertTrue(r.out().contains("never formatted"), r.out());

        var ext4 = dir.resolve("ext4.img");
        Files.copy(blank, ext4);
        try (var file = new java.io.RandomAccessFile(ext4.toFile(), "rw")) {
            file.seek(1080);
            file.write(new byte[] {0x53, (byte) 0xef});   // the ext2/3/4 superblock magic
        }
        var before = Files.readAllBytes(ext4);
        var found = berth("device", "probe", ext4.toString(), "--json");
        assertEquals(0, found.code(), found.err());
        assertTrue(found.out().contains("\"blank\":false") && found.out().contains("\"signature\":\"ext"), found.out());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(ext4)), "probe never writes");
    }

    @Test
    void identityInspectNamesThePublishedAvalancheStakingCertificate(@TempDir Path dir) throws Exception {
        var published = IMAGE
                .getParent().getParent().getParent()
                .resolve("plugins/identity-avalanche/src/test/resources/avalanchego/staker1.crt");
        Files.copy(published, dir.resolve("staker.crt"));
        var r = berth("identity", "inspect", "--kind", "avalanche", "--dir", dir.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("NodeID-7Xhw2mDxuDS44j42TCB6U5579esbSt3Lg"), r.out());
    }

    /** Issue 16's goals for what every AMI bakes in and every pipeline downloads, measured as its acceptance says. */
    @Test
    void theImageIsAtMost80MbOnDiskAndItsTarballAtMost40Mb() throws Exception {
        var du = ImageProcess.run(Path.of("").toAbsolutePath(), Map.of(), List.of("du", "-sm", IMAGE.toString()));
        assertEquals(0, du.code(), du.toString());
        int megabytes = Integer.parseInt(du.out().strip().split("\\s+")[0]);
        assertTrue(megabytes <= 80, "du -sm " + IMAGE + " = " + megabytes + " MB, more than 80: look at du -sm of its"
                + " folders and plugins/*, and at lib/berth.aot");
        var tarball = Path.of(System.getProperty("berth.tarball", "target/berth.tar.gz")).toAbsolutePath();
        assertTrue(Files.size(tarball) <= 40_000_000L, tarball + " is " + Files.size(tarball) + " bytes, more than 40 MB");
    }

    /** A library that two plugins carry lies once, in a parent layer (crypto, aws-sdk): no jar is in two folders. */
    @Test
    void noJarLiesInTwoPluginFolders() throws Exception {
        var seen = new HashMap<String, Path>();
        try (var jars = Files.walk(IMAGE.resolve("plugins"))) {
            for (var jar : jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                var other = seen.putIfAbsent(jar.getFileName().toString(), jar.getParent());
                assertTrue(other == null, jar.getFileName() + " is in " + other + " and in " + jar.getParent());
            }
        }
        assertEquals(IMAGE.resolve("plugins/aws-sdk"), seen.get(seen.keySet().stream()
                .filter(j -> j.startsWith("sdk-core-")).findFirst().orElseThrow()), "the SDK's core in the shared layer");
    }

    /**
     * The image's BouncyCastle is shrunk to what the identity plugins and key-passphrase reach: each identity
     * kind is generated by a real claim (static provider, directory volume), backed up encrypted with the
     * passphrase key (Argon2id), restored from that backup and inspected, all by the image's own jars.
     */
    @ParameterizedTest
    @ValueSource(strings = {"avalanche", "ethereum", "x509"})
    void everyIdentityKindIsGeneratedBackedUpRestoredAndInspectedByTheImage(String kind, @TempDir Path dir)
            throws Exception {
        var passphrase = Files.writeString(dir.resolve("passphrase"), "image-test-phrase-" + kind);
        Files.setPosixFilePermissions(passphrase, PosixFilePermissions.fromString("rw-------"));
        var env = dir.resolve("berth.env");
        var config = Files.writeString(dir.resolve("berth.yaml"), """
                cluster: id-%s
                provider: static
                store: file://%s
                capacity: 1
                envFile: %s
                volume:
                  mountPoint: %s
                providerSettings:
                  instance-id: n1
                  zone: local-a
                  members: n1
                  data-root: %s
                identity:
                  kind: %s
                keys:
                  provider: passphrase
                  settings:
                    file: %s
                """.formatted(kind, dir.resolve("store"), env, dir.resolve("mnt"), dir.resolve("volumes"), kind, passphrase));
        // the static provider's claim stays in the foreground as the slot's keeper: SIGTERM releases the slot
        var pb = new ProcessBuilder(IMAGE.resolve("bin/berth").toString(), "claim", "--config", config.toString())
                .redirectOutput(dir.resolve("claim.out").toFile()).redirectError(dir.resolve("claim.err").toFile());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");   // no JDK: only the image's runtime
        var claim = pb.start();
        Map<String, String> claimed;
        try {
            var deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (Files.notExists(env) && claim.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(Files.exists(env), "no env file: " + Files.readString(dir.resolve("claim.err")));
            claimed = new HashMap<>();
            for (var line : Files.readAllLines(env)) {
                var eq = line.indexOf('=');
                if (!line.startsWith("#") && eq > 0) {
                    claimed.put(line.substring(0, eq), line.substring(eq + 1).replace("\"", ""));
                }
            }
        } finally {
            claim.destroy();
            assertTrue(claim.waitFor(1, TimeUnit.MINUTES), "the claim did not stop on SIGTERM");
        }
        assertEquals(kind, claimed.get("BERTH_IDENTITY_KIND"), claimed.toString());

        var restored = dir.resolve("restored");
        var restore = berth("identity", "restore", "--config", config.toString(), "--slot", "0", "--dir", restored.toString());
        assertEquals(0, restore.code(), restore.toString());
        var inspect = berth("identity", "inspect", "--kind", kind, "--dir", restored.toString(), "--json");
        assertEquals(0, inspect.code(), inspect.toString());
        assertTrue(inspect.out().contains("\"publicName\":\"" + claimed.get("BERTH_NODE_ID") + "\"")
                && inspect.out().contains("\"fingerprint\":\"" + claimed.get("BERTH_IDENTITY_FINGERPRINT") + "\""),
                "the restored identity is the claimed one: " + inspect.out() + " vs " + claimed);
    }

    @Test
    void identityInspectDerivesTheEnodeIdOfAFixedNodekeyOnSecp256k1(@TempDir Path dir) throws Exception {
        // the vector of EthereumIdentityProviderTest, computed independently with python3's cryptography
        var key = Files.writeString(dir.resolve("nodekey"), "b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        var r = berth("identity", "inspect", "--kind", "ethereum", "--dir", dir.toString(), "--json");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd3138"
                + "7574077f301b421bc84df7266c44e9e6d569fc56be00812904767bf5ccd1fc7f"), r.out());
        assertTrue(r.out().contains("844190033963191412763f5737bd47e4c6b6713aaf9ca813c65dac29fde9b076"), r.out());
    }

    /** Compiles a module that provides a ClaimStoreFactory named "tiny" against the image's spi jar. */
    private static void buildTinyPlugin(Path src, Path jar) throws IOException {
        var pkg = src.resolve("tiny/store");
        Files.createDirectories(pkg);
        Files.writeString(src.resolve("module-info.java"), """
                module tiny.store {
                    requires dev.berth.spi;
                    provides dev.berth.spi.ClaimStoreFactory with tiny.store.TinyStoreFactory;
                }
                """);
        Files.writeString(pkg.resolve("TinyStoreFactory.java"), """
                package tiny.store;
                public final class TinyStoreFactory implements dev.berth.spi.ClaimStoreFactory {
                    public String scheme() { return "tiny"; }
                    public dev.berth.spi.ClaimStore open(java.net.URI uri, dev.berth.spi.PluginConfig config) {
                        throw new dev.berth.spi.BerthException("tiny stores hold nothing");
                    }
                }
                """);
        var classes = src.resolve("classes");
        var spi = Files.list(IMAGE.resolve("lib")).filter(p -> p.getFileName().toString().startsWith("berth-spi")).findFirst()
                .orElseThrow();
        var javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "--module-path", spi.toString(),
                src.resolve("module-info.java").toString(), pkg.resolve("TinyStoreFactory.java").toString());
        assertEquals(0, rc, "javac");
        Files.createDirectories(jar.getParent());
        try (var out = new JarOutputStream(Files.newOutputStream(jar)); var files = Files.walk(classes)) {
            for (var file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
    }
}
