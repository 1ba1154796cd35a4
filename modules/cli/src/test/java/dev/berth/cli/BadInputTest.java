package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input is exit 2 with one line that names the key, checked before anything is claimed. */
class BadInputTest {

    private static MainTest.Result run(String... args) {
        return MainTest.run(args);
    }

    private static void assertUsage(MainTest.Result r, String... mentions) {
        assertEquals(2, r.code(), () -> "exit code; stderr: " + r.err());
        var line = r.errorLine();
        assertEquals(1, line.lines().count(), () -> "one line: " + r.err());
        for (var m : mentions) {
            assertTrue(line.contains(m), () -> "'" + m + "' in: " + line);
        }
    }

    private static boolean isEmptyOrMissing(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).noneMatch(f -> f.toString().contains("clusters"));
        }
    }

    @Test
    void anEnvFileThatIsADirectoryIsExit2WithNothingClaimedAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        var envDir = Files.createDirectory(dir.resolve("env-dir"));
        var store = dir.resolve("store");
        assertUsage(run("claim", "--provider", "sim", "--cluster", "demo", "--capacity", "1", "--store", "file://" + store,
                "--env-file", envDir.toString()), "envFile", envDir.toString(), "is a directory");
        assertTrue(isEmptyOrMissing(store), "no slot claimed");
        try (var left = Files.list(dir)) {
            assertEquals(0, left.filter(p -> p.getFileName().toString().contains(".tmp")).count(), "no .tmp left");
        }
        try (var inside = Files.list(envDir)) {
            assertEquals(0, inside.count());
        }
    }

    @Test
    void anEnvFileInAMissingDirectoryIsExit2WithNothingClaimed(@TempDir Path dir) throws Exception {
        var store = dir.resolve("store");
        assertUsage(run("claim", "--provider", "sim", "--cluster", "demo", "--capacity", "1", "--store", "file://" + store,
                "--env-file", dir.resolve("no/such/dir/berth.env").toString()), "envFile", "does not exist");
        assertTrue(isEmptyOrMissing(store), "no slot claimed");
    }

    @Test
    void anUnknownProviderIsExit2AndNamesTheBuiltInOnes(@TempDir Path dir) {
        assertUsage(run("claim", "--provider", "gcp", "--cluster", "demo", "--store", "file://" + dir.resolve("s"),
                "--plugins", dir.resolve("none").toString(), "--env-file", dir.resolve("env").toString()),
                "'gcp' is not available", "sim", "static");
    }

    @Test
    void aBadOrUnknownStaticSettingIsExit2NamingTheKey(@TempDir Path dir) throws Exception {
        var config = dir.resolve("berth.yaml");
        Files.writeString(config, "cluster: demo\nprovider: static\nstore: file://" + dir.resolve("store") + "\nenvFile: "
                + dir.resolve("env") + "\nproviderSettings:\n  instance-id: n1\n  zone: z\n  capacity: 1\n"
                + "  lease-ttl-milis: 5000\n");
        assertUsage(run("claim", "--config", config.toString()), "providerSettings.lease-ttl-milis",
                "did you mean 'providerSettings.lease-ttl-millis'");
        Files.writeString(config, "cluster: demo\nprovider: static\nstore: file://" + dir.resolve("store") + "\nenvFile: "
                + dir.resolve("env") + "\nproviderSettings:\n  instance-id: n1\n  zone: z\n  capacity: 1\n"
                + "  lease-ttl-millis: 5\n");
        assertUsage(run("claim", "--config", config.toString()), "lease TTL 5");
        assertTrue(isEmptyOrMissing(dir.resolve("store")), "no slot claimed");
    }

    @Test
    void unknownStoreAndSimProviderSettingsAreExit2NamingTheKey(@TempDir Path dir) throws Exception {
        var config = dir.resolve("berth.yaml");
        Files.writeString(config, "cluster: demo\nstoreSettings:\n  leaseTtl: 5\n");
        assertUsage(run("claim", "--config", config.toString(), "--provider", "sim", "--store",
                "file://" + dir.resolve("store"), "--env-file", dir.resolve("env").toString()), "storeSettings.leaseTtl");
        Files.writeString(config, "cluster: demo\nproviderSettings:\n  zone: a\n");
        assertUsage(run("claim", "--config", config.toString(), "--provider", "sim", "--store",
                "file://" + dir.resolve("store"), "--env-file", dir.resolve("env").toString()), "providerSettings.zone");
    }

    @Test
    void aBadWaitNamesItsKey(@TempDir Path dir) throws Exception {
        var config = dir.resolve("berth.yaml");
        Files.writeString(config, "cluster: demo\nwaits:\n  attachSeconds: -1\n");
        assertUsage(run("claim", "--config", config.toString(), "--provider", "sim", "--store",
                "file://" + dir.resolve("store"), "--env-file", dir.resolve("env").toString()), "waits.attachSeconds", "-1");
        Files.writeString(config, "cluster: demo\nwaits:\n  storeSeconds: 0\n");
        assertUsage(run("claim", "--config", config.toString(), "--provider", "sim", "--store",
                "file://" + dir.resolve("store"), "--env-file", dir.resolve("env").toString()), "waits.storeSeconds");
    }

    @Test
    void storeSecondsReachesTheClaimSettings(@TempDir Path dir) throws Exception {
        var config = dir.resolve("berth.yaml");
        Files.writeString(config, "cluster: demo\nwaits:\n  storeSeconds: 7\n");
        var resolved = ClaimConfig.resolve(ConfigFile.load(config), ClaimConfig.Flags.none(), dir);
        assertEquals(7_000, resolved.settings().waits().storeMillis());
        var defaults = ClaimConfig.resolve(ConfigFile.empty(), new ClaimConfig.Flags("demo", null, null, null, null, null,
                null, null, null, null, null), dir);
        assertEquals(120_000, defaults.settings().waits().storeMillis());
    }

    @Test
    void aNegativeSlotIsExit2(@TempDir Path dir) {
        assertUsage(run("identity", "show", "--cluster", "demo", "--store", "file://" + dir.resolve("s"), "--slot", "-1"),
                "--slot -1");
    }

    @Test
    void aVolumeIdThatIsNoneIsExit2(@TempDir Path dir) {
        assertUsage(run("device", "probe", "--volume-id", "bogus", "--plugins", dir.toString()), "'bogus'", "vol-");
    }

    @Test
    void aRelativeDevicePathIsResolvedAgainstTheWorkingDirectory(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("f.img"), "x");
        assertEquals(dir.resolve("f.img").toString(), DeviceCommand.Probe.devicePath("./f.img", dir));
        assertEquals(dir.resolve("f.img").toString(), DeviceCommand.Probe.devicePath("f.img", dir));
        assertEquals("nvme1n1", DeviceCommand.Probe.devicePath("nvme1n1", dir), "a bare name stays a name under /dev");
        assertEquals("/dev/sdf", DeviceCommand.Probe.devicePath("/dev/sdf", dir));
    }

    @Test
    void pluginsListsTheBuiltInProvidersAndRefusesAMissingFolder(@TempDir Path dir) {
        var r = run("plugins", "--plugins", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("cloud provider") && l.contains(" static ")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("cloud provider") && l.contains(" sim ")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("claim store") && l.contains(" file ")), r.out());
        assertUsage(run("plugins", "--plugins", "/nonexistent"), "/nonexistent", "does not exist");
    }

    @Test
    void aStoreUriPasswordIsNeverEchoed(@TempDir Path dir) {
        var r = run("claim", "--provider", "sim", "--cluster", "demo", "--store", "etcd://berth:pw-Zq81x@h:2379/p",
                "--plugins", dir.toString(), "--env-file", dir.resolve("env").toString());
        assertEquals(2, r.code(), r.err());
        assertFalse((r.out() + r.err()).contains("pw-Zq81x"), "the password is not printed");
        var bad = run("store", "check", "--store", "etcd://berth:pw-Zq81x@h:2379/p^bad", "--plugins", dir.toString());
        assertEquals(2, bad.code(), bad.err());
        assertFalse((bad.out() + bad.err()).contains("pw-Zq81x"), "the password is not printed");
        var scheme = run("store", "check", "--store", "berth:pw-Zq81x@h:2379/p", "--plugins", dir.toString());
        assertEquals(2, scheme.code(), scheme.err());
        assertFalse((scheme.out() + scheme.err()).contains("pw-Zq81x"), "the password is not printed");
    }
}
