package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.store.tck.TestServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code metrics.textfile} and {@code berth status --metrics}: what promtool accepts and the values an operator alerts on. */
class MetricsTest {
    @TempDir
    Path dir;

    /** {@code promtool check metrics} over {@code text}: its exit code and what it said. */
    static void promtoolAccepts(String text) throws Exception {
        boolean present = List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
                .anyMatch(d -> Files.isExecutable(Path.of(d, "promtool")));
        TestServers.need(present, "promtool (Debian package prometheus) is not installed");
        var process = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        var said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), () -> "promtool check metrics refused:\n" + said + "\n---\n" + text);
    }

    /** The value of the one sample line that starts with {@code sample} (name and labels as written). */
    static Optional<Double> value(String text, String sample) {
        return text.lines().filter(l -> l.startsWith(sample + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(sample.length() + 1).trim().split(" ")[0]));
    }

    private Path config(Path textfile) throws IOException {
        return Files.writeString(dir.resolve("berth.yaml"), "cluster: demo\nprovider: sim\nstore: file://" + dir.resolve("store")
                + "\nenvFile: " + dir.resolve("berth.env") + "\ncapacity: 2\nmetrics:\n  textfile: " + textfile + "\n");
    }

    @Test
    void claimWritesTheTextfileThatPromtoolAcceptsWithTheSlotEpochAndOutcome() throws Exception {
        var textfile = dir.resolve("berth.prom");
        var config = config(textfile).toString();
        var first = MainTest.run("claim", "--config", config);
        assertEquals(0, first.code(), first.err());
        var text = Files.readString(textfile);
        promtoolAccepts(text);
        assertEquals(Optional.of(1.0), value(text, "berth_claim_outcome{cluster=\"demo\",outcome=\"claimed\"}"), text);
        assertEquals(Optional.of(0.0), value(text, "berth_claim_outcome{cluster=\"demo\",outcome=\"failed\"}"), text);
        assertEquals(Optional.of(1.0), value(text, "berth_slot_held{cluster=\"demo\"}"), text);
        assertEquals(Optional.of(1.0), value(text, "berth_slot_epoch{cluster=\"demo\"}"), text);
        assertTrue(text.contains("berth_slot_number{cluster=\"demo\",instance=\"i-local\",volume=\"vol-"), text);
        assertTrue(value(text, "berth_claim_cas_attempts{cluster=\"demo\"}").orElseThrow() >= 1, text);
        assertEquals(Optional.of(0.0), value(text, "berth_claim_cas_conflicts{cluster=\"demo\"}"), text);
        double success = value(text, "berth_claim_last_success_timestamp_seconds{cluster=\"demo\"}").orElseThrow();
        assertTrue(Math.abs(success - System.currentTimeMillis() / 1000.0) < 120, text);
        assertTrue(value(text, "berth_claim_duration_seconds{cluster=\"demo\"}").orElseThrow() > 0, text);
        try (var listing = Files.list(dir)) {
            assertFalse(listing.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left behind");
        }

        var again = MainTest.run("claim", "--config", config);
        assertEquals(0, again.code(), again.err());
        var resumed = Files.readString(textfile);
        promtoolAccepts(resumed);
        assertEquals(Optional.of(1.0), value(resumed, "berth_claim_outcome{cluster=\"demo\",outcome=\"resumed\"}"), resumed);
        assertEquals(Optional.of(0.0), value(resumed, "berth_claim_outcome{cluster=\"demo\",outcome=\"claimed\"}"), resumed);
        assertEquals(1, resumed.lines().filter(l -> l.startsWith("# TYPE berth_claim_outcome ")).count(), "one family");
    }

    @Test
    void eachCommandReplacesOnlyItsOwnFamiliesAndAFailureKeepsTheLastSuccess() throws Exception {
        var textfile = dir.resolve("berth.prom");
        var log = new Console().log("test");
        var file = new MetricsTextfile(textfile, log);
        DaemonMetrics.keeper(file, "demo", "watching");
        DaemonMetrics.snapshot(file, "demo", "taken", 1_500, 2);
        double taken = value(Files.readString(textfile),
                "berth_snapshot_last_success_timestamp_seconds{cluster=\"demo\"}").orElseThrow();
        assertEquals(0, MainTest.run("claim", "--config", config(textfile).toString()).code());
        DaemonMetrics.snapshot(file, "demo", "failed", 300, 0);
        var text = Files.readString(textfile);
        promtoolAccepts(text);
        assertEquals(Optional.of(1.0), value(text, "berth_keeper_state{cluster=\"demo\",state=\"watching\"}"), text);
        assertEquals(Optional.of(1.0), value(text, "berth_claim_outcome{cluster=\"demo\",outcome=\"claimed\"}"), text);
        assertEquals(Optional.of(1.0), value(text, "berth_snapshot_outcome{cluster=\"demo\",outcome=\"failed\"}"), text);
        assertEquals(Optional.of(taken), value(text, "berth_snapshot_last_success_timestamp_seconds{cluster=\"demo\"}"),
                "a failed snapshot keeps the last success: " + text);
        assertTrue(text.contains("berth_keeper_last_heartbeat_timestamp_seconds{cluster=\"demo\"}"), text);
    }

    @Test
    void statusMetricsPrintsTheFleetPerSlotAndFindingsByKind() throws Exception {
        var config = config(dir.resolve("berth.prom")).toString();
        assertEquals(0, MainTest.run("claim", "--config", config).code());
        var status = MainTest.run("status", "--config", config, "--metrics");
        assertEquals(0, status.code(), status.out() + status.err());
        var text = status.out();
        promtoolAccepts(text);
        assertEquals(Optional.of(2.0), value(text, "berth_fleet_capacity{cluster=\"demo\"}"), text);
        assertEquals(Optional.of(1.0), value(text, "berth_fleet_slots{cluster=\"demo\"}"), text);
        assertEquals(Optional.of(1.0), value(text, "berth_fleet_slot_held{cluster=\"demo\",slot=\"0\"}"), text);
        assertEquals(Optional.of(1.0), value(text, "berth_fleet_slot_epoch{cluster=\"demo\",slot=\"0\"}"), text);
        // the sim provider's one-node cloud is made afresh by each command: status no longer sees i-local run
        assertEquals(Optional.of(0.0), value(text, "berth_fleet_slot_holder_live{cluster=\"demo\",slot=\"0\"}"), text);
        assertEquals(Optional.of(1.0), value(text, "berth_fleet_findings{cluster=\"demo\",kind=\"holder_gone\"}"), text);
        assertEquals(Optional.of(0.0), value(text, "berth_fleet_findings{cluster=\"demo\",kind=\"orphan_volume\"}"), text);
        for (var kind : dev.berth.core.fleet.Finding.Kind.values()) {
            assertTrue(value(text, "berth_fleet_findings{cluster=\"demo\",kind=\"" + kind.name().toLowerCase() + "\"}")
                    .isPresent(), () -> kind + " missing: " + text);
        }
        assertEquals(2, MainTest.run("status", "--config", config, "--metrics", "--json").code());
    }

    @Test
    void aTextfileBerthCannotWriteOrNotNamedPromIsExit2BeforeAnythingIsClaimed() throws Exception {
        var notProm = MainTest.run("claim", "--config", config(dir.resolve("berth.txt")).toString());
        assertEquals(2, notProm.code(), notProm.err());
        assertTrue(notProm.err().contains("metrics.textfile") && notProm.err().contains("*.prom"), notProm.err());
        var noDir = MainTest.run("claim", "--config", config(dir.resolve("missing/berth.prom")).toString());
        assertEquals(2, noDir.code(), noDir.err());
        assertTrue(noDir.err().contains("mkdir -p " + dir.resolve("missing")), noDir.err());
        assertFalse(Files.exists(dir.resolve("store")), "nothing claimed");
    }
}
