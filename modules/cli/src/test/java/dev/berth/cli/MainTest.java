package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    record Result(int code, String out, String err) {
        /** The error lines, without progress lines. */
        String errorLine() {
            return err.lines().filter(l -> !l.startsWith("[simulate]") && !l.startsWith("berth: ")).reduce("", (a, b) -> a + b);
        }
    }

    static Result run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = Main.run(new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertUsage(Result r, String... mentions) {
        assertEquals(2, r.code(), () -> "exit code; stderr: " + r.err());
        var line = r.errorLine();
        assertEquals(1, line.lines().count(), () -> "one line: " + r.err());
        for (var m : mentions) {
            assertTrue(line.contains(m), () -> "'" + m + "' in: " + line);
        }
    }

    @Test
    void unknownScenarioIsAOneLineUsageError() {
        assertUsage(run("simulate", "--scenario", "meteor-strike"), "meteor-strike", "mass-boot", "instance-refresh");
    }

    @Test
    void negativeNodeCountIsAOneLineUsageError() {
        assertUsage(run("simulate", "--nodes", "-3"), "--nodes -3", "1 to");
    }

    @Test
    void nonNumericNodeCountIsAOneLineUsageError() {
        assertUsage(run("simulate", "--nodes", "lots"), "lots", "--nodes");
    }

    @Test
    void malformedYamlIsAOneLineUsageErrorWithTheLine(@TempDir Path dir) throws Exception {
        var config = dir.resolve("berth.yaml");
        Files.writeString(config, "cluster: demo\nvolume:\n  sizeGiB: [unclosed\n");
        assertUsage(run("claim", "--config", config.toString(), "--provider", "sim"), config.toString(), "line");
    }

    @Test
    void misspelledConfigKeyIsNamedWithASuggestion(@TempDir Path dir) throws Exception {
        var config = dir.resolve("berth.yaml");
        Files.writeString(config, "cluster: demo\nvolme:\n  sizeGiB: 10\n");
        assertUsage(run("claim", "--config", config.toString(), "--provider", "sim"), "volme", "did you mean 'volume'");
    }

    @Test
    void storeDirectoryThatIsNotWritableIsAOneLineUsageError(@TempDir Path dir) throws Exception {
        var file = Files.writeString(dir.resolve("a-file"), "not a directory");
        assertUsage(run("claim", "--provider", "sim", "--cluster", "demo", "--store", "file://" + file.resolve("store"),
                "--env-file", dir.resolve("env").toString()), file.toString());
        // root may write anywhere on a normal filesystem, so /proc stands in for a directory no one may write
        assertUsage(run("claim", "--provider", "sim", "--cluster", "demo", "--store", "file:///proc/berth-store",
                "--env-file", dir.resolve("env").toString()), "/proc/berth-store");
    }

    @Test
    void badClusterNameIsAOneLineUsageError(@TempDir Path dir) {
        assertUsage(run("claim", "--provider", "sim", "--cluster", "Bad_Name", "--store", "file://" + dir),
                "Bad_Name", "lowercase");
    }

    @Test
    void unknownProviderNamesTheOnesThereAre(@TempDir Path dir) {
        var r = run("claim", "--provider", "gcp", "--cluster", "demo", "--store", "file://" + dir.resolve("s"),
                "--plugins", dir.resolve("none").toString(), "--env-file", dir.resolve("env").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("'gcp' is not available"), r.err());
    }

    @Test
    void claimWithTheSimProviderClaimsThenResumesAndWritesTheEnvFile(@TempDir Path dir) throws Exception {
        var store = "file://" + dir.resolve("store");
        var env = dir.resolve("berth.env");
        var first = run("claim", "--provider", "sim", "--cluster", "demo", "--capacity", "2", "--store", store,
                "--env-file", env.toString(), "--instance-id", "i-0123456789abcdef0", "--json");
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("\"outcome\":\"claimed\""), first.out());
        var text = Files.readString(env);
        assertTrue(text.contains("BERTH_CLUSTER=demo"), text);
        assertTrue(text.contains("BERTH_SLOT="), text);
        assertTrue(text.contains("BERTH_EPOCH=1"), text);
        assertTrue(text.contains("BERTH_NODE_ID=NodeID-sim-"), text);

        var again = run("claim", "--provider", "sim", "--cluster", "demo", "--capacity", "2", "--store", store,
                "--env-file", env.toString(), "--instance-id", "i-0123456789abcdef0");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().startsWith("resumed slot"), again.out());
        assertTrue(again.err().contains("restored identity"), "a new simulated disk gets the identity back from its backup: "
                + again.err());

        var other = run("claim", "--provider", "sim", "--cluster", "demo", "--capacity", "2", "--store", store,
                "--env-file", dir.resolve("other.env").toString(), "--instance-id", "i-0fedcba9876543210");
        assertEquals(0, other.code(), other.err());
        assertTrue(other.out().startsWith("claimed slot"), other.out());

        var third = run("claim", "--provider", "sim", "--cluster", "demo", "--capacity", "2", "--store", store,
                "--env-file", dir.resolve("third.env").toString(), "--instance-id", "i-0aaaaaaaaaaaaaaaa",
                "--when-full", "mark-unhealthy");
        assertEquals(3, third.code(), third.out() + third.err());
        assertTrue(third.out().startsWith("full:"), third.out());
    }

    @Test
    void simulateJsonHasTheFieldsAndNoViolations() {
        var r = run("simulate", "--nodes", "30", "--zones", "3", "--scenario", "instance-refresh", "--seed", "1", "--json");
        assertEquals(0, r.code(), r.err());
        var json = r.out().strip();
        assertEquals(1, json.lines().count(), json);
        for (var field : new String[] {"\"violations\":0", "\"nodes\":30", "\"slots\":30", "\"volumesCreated\":30",
                "\"casAttemptsPerNode\":", "\"happyPathCalls\":"}) {
            assertTrue(json.contains(field), field + " in " + json);
        }
    }

    @Test
    void storeCheckSaysSafeForTheFileStoreAndClaimRefusesAStoreFoundUnsafe(@TempDir Path dir) throws Exception {
        var storeDir = dir.resolve("store");
        var check = run("store", "check", "--store", "file://" + storeDir, "--plugins", dir.resolve("none").toString());
        assertEquals(0, check.code(), check.err());
        assertTrue(check.out().contains("is safe"), check.out());

        // as if the check had run against a server whose conditional writes are not atomic
        var verdict = "{\"safe\":false,\"checkedAtMillis\":1,\"summary\":\"store X is NOT safe for claims: compareAndSet let 3 of 20 writers win\"}";
        try (var store = dev.berth.core.store.FileClaimStore.open(storeDir)) {
            var current = store.get("berth/store-check").orElseThrow();
            store.compareAndSet("berth/store-check", current.version(), verdict.getBytes(StandardCharsets.UTF_8));
        }
        var claim = run("claim", "--provider", "sim", "--cluster", "demo", "--store", "file://" + storeDir,
                "--env-file", dir.resolve("env").toString(), "--plugins", dir.resolve("none").toString());
        assertEquals(1, claim.code(), claim.err());
        assertTrue(claim.err().contains("refusing to claim") && claim.err().contains("3 of 20 writers win"), claim.err());
        assertTrue(Files.notExists(dir.resolve("env")));
    }

    @Test
    void identityShowPrintsTheSlotsPublicIdentityOnly(@TempDir Path dir) {
        var store = "file://" + dir.resolve("store");
        assertEquals(0, run("claim", "--provider", "sim", "--cluster", "demo", "--capacity", "1", "--store", store,
                "--env-file", dir.resolve("env").toString()).code());
        var shown = run("identity", "show", "--slot", "0", "--cluster", "demo", "--store", store, "--json");
        assertEquals(0, shown.code(), shown.err());
        assertTrue(shown.out().contains("\"kind\":\"sim\"") && shown.out().contains("\"backedUp\":true"), shown.out());
        assertTrue(shown.out().contains("\"publicName\":\"NodeID-sim-"), shown.out());
        var missing = run("identity", "show", "--slot", "7", "--cluster", "demo", "--store", store);
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("slot 7 of cluster demo does not exist"), missing.err());
    }

    @Test
    void iamPolicyNamesTheActionsOfTheConfiguredFeatures(@TempDir Path dir) throws Exception {
        var config = dir.resolve("berth.yaml");
        Files.writeString(config, """
                cluster: avax
                store: s3://claims-bucket/prod?region=us-east-1
                whenFull: terminate-self
                crossZone: snapshot
                keys:
                  provider: kms
                  settings:
                    keyId: arn:aws:kms:us-east-1:111122223333:key/abc
                """);
        var r = run("iam-policy", "--config", TestPlugins.withAwsPlugins(config).toString());
        assertEquals(0, r.code(), r.err());
        for (var action : new String[] {"ec2:CreateVolume", "ec2:AttachVolume", "ec2:CreateSnapshot", "s3:PutObject",
                "kms:GenerateDataKey", "kms:Decrypt", "autoscaling:TerminateInstanceInAutoScalingGroup"}) {
            assertTrue(r.out().contains("\"" + action + "\""), action + " in " + r.out());
        }
        assertTrue(!r.out().contains("autoscaling:SetInstanceHealth"), "mark-unhealthy is off: " + r.out());
        assertTrue(r.out().contains("arn:aws:s3:::claims-bucket"), r.out());
    }

    @Test
    void forcedMkfsInTheConfigIsAOneLineUsageError(@TempDir Path dir) throws Exception {
        for (var force : new String[] {"-F", "-f", "--force", "-qF"}) {
            var config = dir.resolve("berth.yaml");
            Files.writeString(config, "cluster: avax\nvolume:\n  mkfsArgs: [\"-m\", \"0\", \"" + force + "\"]\n");
            assertUsage(run("iam-policy", "--config", config.toString()), "volume.mkfsArgs", "'" + force + "'",
                    "remove it");
        }
        var fine = dir.resolve("fine.yaml");
        Files.writeString(fine, "cluster: avax\nvolume:\n  mkfsArgs: [\"-m\", \"0\", \"-E\", \"lazy_itable_init=0\"]\n");
        assertEquals(0, run("iam-policy", "--config", TestPlugins.withAwsPlugins(fine).toString()).code());
    }

    @Test
    void iamPolicyForAKmsAliasNamesNoAliasOrBareKeyIdAsAResource(@TempDir Path dir) throws Exception {
        var config = dir.resolve("berth.yaml");
        Files.writeString(config, """
                cluster: avax
                volume:
                  kmsKeyId: alias/berth
                keys:
                  provider: kms
                  settings:
                    keyId: alias/berth
                providerSettings:
                  region: us-gov-west-1
                """);
        var r = run("iam-policy", "--config", TestPlugins.withAwsPlugins(config).toString());
        assertEquals(0, r.code(), r.err());
        var resources = r.out().lines().filter(l -> l.contains("\"Resource\"") && l.contains(":kms:")).toList();
        assertEquals(4, resources.size(), r.out());
        for (var line : resources) {
            assertTrue(line.contains("\"arn:aws-us-gov:kms:us-gov-west-1:*:key/*\""), line);
        }
        assertTrue(!r.out().contains("\"Resource\": \"alias/") && !r.out().contains(":alias/"), r.out());
        assertTrue(r.out().contains("\"kms:RequestAlias\": \"alias/berth\""), r.out());
    }
}
