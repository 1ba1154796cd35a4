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
        assertEquals(1, r.code(), r.err());
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
}
