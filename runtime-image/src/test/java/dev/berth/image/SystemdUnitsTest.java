package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's systemd units load, on this machine's systemd and on the oldest one berth supports
 * (219, Amazon Linux 2): systemd-analyze verify finds nothing to say about them, they use only
 * directives and service types systemd 219 knows, and no Type=oneshot unit has Restart= (refused
 * before systemd 244, and a refused unit then blocks the workload that requires it).
 */
class SystemdUnitsTest {
    private static final Path UNITS = ImageProcess.IMAGE.resolve("systemd");

    /** Every [Unit], [Service] and [Install] directive the shipped units may use: all known to systemd 219. */
    private static final Set<String> SYSTEMD_219 = Set.of(
            "Description", "Documentation", "Wants", "Requires", "BindsTo", "PartOf", "After", "Before", "Conflicts",
            "ConditionPathExists", "Type", "RemainAfterExit", "ExecStartPre", "ExecStart", "ExecStartPost", "ExecStop",
            "ExecStopPost", "TimeoutStartSec", "TimeoutStopSec", "SuccessExitStatus", "Restart", "RestartSec",
            "RestartPreventExitStatus", "KillMode", "KillSignal", "Environment", "EnvironmentFile", "User", "Group",
            "WantedBy", "RequiredBy", "Also", "Requisite",
            // [Timer] (berth-snapshot.timer)
            "OnBootSec", "OnUnitActiveSec", "AccuracySec");

    private static List<Path> units() throws Exception {
        try (var files = Files.list(UNITS)) {
            var units = files.filter(f -> f.toString().endsWith(".service") || f.toString().endsWith(".timer")).sorted().toList();
            assertTrue(units.stream().map(u -> u.getFileName().toString()).toList()
                    .containsAll(List.of("berth-claim.service", "berth-claim-static.service", "berth-keeper.service",
                            "berth-snapshot.service", "berth-snapshot.timer")), units.toString());
            return units;
        }
    }

    private static Map<String, String> settings(Path unit) throws Exception {
        var settings = new java.util.LinkedHashMap<String, String>();
        for (var line : Files.readAllLines(unit)) {
            if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("[")) {
                var eq = line.indexOf('=');
                assertTrue(eq > 0, unit.getFileName() + ": not a setting: " + line);
                settings.merge(line.substring(0, eq), line.substring(eq + 1), (a, b) -> a + "\n" + b);
            }
        }
        return settings;
    }

    @Test
    void systemdAnalyzeVerifiesEveryUnitWithoutAWord(@TempDir Path dir) throws Exception {
        // the units name /opt/berth; verify wants every command to exist, so the copies name the built image
        var copies = new ArrayList<String>();
        for (var unit : units()) {
            var copy = dir.resolve(unit.getFileName());
            Files.writeString(copy, Files.readString(unit).replace("/opt/berth/", ImageProcess.IMAGE + "/"));
            copies.add(copy.toString());
        }
        var command = new ArrayList<>(List.of("systemd-analyze", "verify"));
        command.addAll(copies);
        var r = ImageProcess.run(dir, Map.of(), command);
        assertEquals(0, r.code(), r.toString());
        assertEquals("", r.err().strip() + r.out().strip(), "systemd-analyze verify warns");
    }

    @Test
    void everyUnitLoadsOnSystemd219AndNoOneshotUnitRestarts() throws Exception {
        for (var unit : units()) {
            var settings = settings(unit);
            var name = unit.getFileName().toString();
            for (var key : settings.keySet()) {
                assertTrue(SYSTEMD_219.contains(key), name + ": " + key + "= is not known to systemd 219 (or not checked yet)");
            }
            if (name.endsWith(".timer")) {
                assertTrue(Files.exists(unit.resolveSibling(name.replace(".timer", ".service"))), name + " starts a service we ship");
                continue;
            }
            var type = settings.getOrDefault("Type", "simple");
            // exec came with systemd 240; notify needs sd_notify, which a JVM has no easy way to send
            assertTrue(Set.of("oneshot", "simple").contains(type), name + ": Type=" + type);
            if (type.equals("oneshot")) {
                assertFalse(settings.containsKey("Restart") && !settings.get("Restart").equals("no"),
                        name + ": Type=oneshot with Restart= is refused by systemd before 244 (Amazon Linux 2 has 219)");
            }
            assertTrue(settings.get("ExecStart").startsWith("/opt/berth/bin/berth "), name + ": " + settings.get("ExecStart"));
        }
    }

    @Test
    void theStaticClaimHoldsTheWorkloadBackUntilTheEnvFileIsWrittenAndFailsWhenBerthExitsFirst(@TempDir Path dir)
            throws Exception {
        var settings = settings(UNITS.resolve("berth-claim-static.service"));
        assertEquals("simple", settings.get("Type"), "berth claim --provider static stays in the foreground");
        assertEquals("/bin/rm -f /etc/berth/berth.env", settings.get("ExecStartPre"), "last boot's env file goes first");
        assertEquals("143", settings.get("SuccessExitStatus"), "a JVM stopped by SIGTERM exits 143");
        var post = settings.get("ExecStartPost");
        assertTrue(post.startsWith("/bin/sh -c '") && post.endsWith("'"), post);
        var envFile = dir.resolve("berth.env");
        // what systemd runs: $$ is a literal $ for the shell, which then reads MAINPID from the environment
        var script = post.substring("/bin/sh -c '".length(), post.length() - 1).replace("$$", "$")
                .replace("/etc/berth/berth.env", envFile.toString());

        // berth (here a sleep) writes the env file after a while: the start waits for it, then succeeds
        var berth = new ProcessBuilder("sh", "-c", "sleep 2; echo BERTH_SLOT=0 > '" + envFile + "'; sleep 60").start();
        try {
            var started = System.nanoTime();
            var ready = ImageProcess.run(dir, Map.of("MAINPID", Long.toString(berth.pid())), List.of("/bin/sh", "-c", script));
            assertEquals(0, ready.code(), ready.toString());
            assertTrue(System.nanoTime() - started > 1_500_000_000L, "returned before the env file was written");
        } finally {
            berth.destroyForcibly().waitFor();
        }

        // berth exits before writing it (full, failed): the start fails at once instead of waiting forever
        Files.delete(envFile);
        var gone = new ProcessBuilder("true").start();
        gone.waitFor();
        var failed = ImageProcess.run(dir, Map.of("MAINPID", Long.toString(gone.pid())), List.of("/bin/sh", "-c", script));
        assertEquals(1, failed.code(), failed.toString());
    }
}
