package dev.berth.image;

import dev.berth.store.tck.TestServers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The fleet in a box, as CI runs it: {@code scripts/fleet.sh --instances 6 --zones 3 --json} drives the built
 * image's {@code berth claim} and {@code berth keeper} on moto with IAM enforced, loop devices for EBS and the
 * generated policy only, and its last line is the summary this test holds to the numbers.
 */
class FleetTest {
    private static final Path REPO = ImageProcess.IMAGE.getParent().getParent().getParent();
    private static final int INSTANCES = 6;

    @Test
    void theShippedBinaryBootsRefreshesAndLosesAFleetUnderItsOwnPolicy() throws Exception {
        TestServers.need("root".equals(System.getProperty("user.name")), "the fleet needs root (loop devices, mkfs, mount)");
        TestServers.need(onPath("losetup") && onPath("mkfs.ext4") && onPath("findmnt"),
                "the fleet needs losetup, mkfs.ext4 and findmnt (Debian: mount, e2fsprogs, util-linux)");
        TestServers.need(onPath("moto_server") && run("python3", "-c", "import moto, boto3") == 0,
                "the fleet needs moto 5.2.1 and boto3 in the machine's python3");
        var log = Files.createTempFile("berth-fleet", ".log");
        var out = Files.createTempFile("berth-fleet", ".json");
        try {
            var process = new ProcessBuilder("bash", REPO.resolve("scripts/fleet.sh").toString(), "--instances",
                    Integer.toString(INSTANCES), "--zones", "3", "--json")
                    .directory(REPO.toFile()).redirectError(log.toFile()).redirectOutput(out.toFile()).start();
            // a bound, not a goal: on a quiet 2-core machine the run takes a few minutes, on a busy one much longer
            if (!process.waitFor(25, TimeUnit.MINUTES)) {
                process.destroy(); // fleet.sh's trap cleans up its loop devices, mounts and servers
                process.waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("fleet.sh did not finish in 25 minutes:\n" + tail(log));
            }
            var lines = Files.readAllLines(out);
            var json = lines.isEmpty() ? "" : lines.getLast();
            assertEquals(0, process.exitValue(), "fleet.sh: " + json + "\n" + tail(log));
            assertEquals(INSTANCES, number(json, "instances"));
            for (var key : List.of("slotsHeld", "volumes", "filesystemsMade", "identities", "refreshed")) {
                assertEquals(INSTANCES, number(json, key), key + " in " + json);
            }
            for (var key : List.of("doubleHolders", "volumesCreatedByRefresh", "secondVolumes", "secondMkfs", "violations")) {
                assertEquals(0, number(json, key), key + " in " + json);
            }
            assertEquals(3, number(json, "crashesInjected"), json);
            assertTrue(json.contains("\"iamPolicyEnforced\": true"), json);
            assertEquals(number(json, "iamPolicyActions") - number(json, "iamActionsNotProvable"),
                    number(json, "iamActionsProvenNeeded"), "every action moto can check is proven needed: " + json);
        } finally {
            Files.deleteIfExists(log);
            Files.deleteIfExists(out);
        }
    }

    private static long number(String json, String key) {
        var m = Pattern.compile("\"" + key + "\": (-?\\d+)").matcher(json);
        assertTrue(m.find(), "no " + key + " in " + json);
        return Long.parseLong(m.group(1));
    }

    private static String tail(Path log) throws Exception {
        var lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static boolean onPath(String tool) {
        for (var dir : (System.getenv("PATH") + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isBlank() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static int run(String... command) {
        try {
            var p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (java.io.IOException | InterruptedException e) {
            return -1;
        }
    }
}
