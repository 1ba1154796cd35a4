package dev.berth.image;

import dev.berth.store.tck.TestServers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * End to end with real processes: 16 `berth claim --provider static` processes with distinct
 * instance ids race for a cluster of capacity 5 on a real store (etcd, and moto's S3). Exactly 5
 * distinct slots are held, each by one process; the other 11 wait and then get the full outcome;
 * killing a holder outright lets its lease expire, and exactly one waiter takes its slot at a
 * higher epoch.
 */
class StaticFleetTest {
    private static final Path IMAGE = Path.of(System.getProperty("berth.image", "target/berth"));
    private static final Pattern CLAIMED = Pattern.compile("claimed slot (\\d+) at epoch (\\d+)");
    private static final int PROCESSES = 16;
    private static final int CAPACITY = 5;

    record Node(String id, Process process, Path out) {
        String output() throws Exception {
            return Files.exists(out) ? Files.readString(out) : "";
        }
    }

    private static String storeUri(String server, String cluster) {
        var env = System.getenv(server.equals("etcd") ? "BERTH_TEST_ETCD" : "BERTH_TEST_MOTO");
        TestServers.need(env != null, "no " + server + " server: run scripts/servers.sh start DIR and source DIR/servers.env");
        var hostPort = env.replaceFirst("^https?://", "");
        if (server.equals("etcd")) {
            return "etcd://" + hostPort + "/" + cluster;
        }
        var bucket = "berth-e2e-" + cluster;
        try (var http = java.net.http.HttpClient.newHttpClient()) {
            // moto takes an unsigned CreateBucket; the claim processes then sign with test credentials
            var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(env + "/" + bucket))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertTrue(response.statusCode() / 100 == 2, "create bucket " + bucket + " on moto: " + response.statusCode()
                    + " " + response.body());
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError("moto at " + env + " did not answer: " + e);
        }
        return "s3://" + bucket + "/claims?region=us-east-1&endpoint=" + env + "&pathStyle=true";
    }

    @ParameterizedTest
    @ValueSource(strings = {"etcd", "moto"})
    void sixteenProcessesHoldFiveSlotsAndAKilledHoldersSlotGoesToExactlyOneWaiter(String server, @TempDir Path dir)
            throws Exception {
        var cluster = "e2e" + UUID.randomUUID().toString().substring(0, 6);
        var store = storeUri(server, cluster);
        var members = new ArrayList<String>();
        for (int i = 1; i <= PROCESSES; i++) {
            members.add(String.format("i-%02d", i));
        }
        var nodes = new ArrayList<Node>();
        for (var id : members) {
            var config = dir.resolve(id + ".yaml");
            Files.writeString(config, """
                    cluster: %s
                    provider: static
                    store: "%s"
                    capacity: %d
                    whenFull: wait
                    envFile: %s
                    volume:
                      mountPoint: %s
                    providerSettings:
                      instance-id: %s
                      zone: local-a
                      members: %s
                      lease-ttl-millis: 20000
                      data-root: %s
                    %s
                    waits:
                      pollSeconds: 2
                      fullSeconds: 80
                    """.formatted(cluster, store, CAPACITY, dir.resolve(id + ".env"), dir.resolve("mnt").resolve(id),
                    id, String.join(",", members), dir.resolve("volumes"),
                    // the etcd store takes no AWS keys: every store refuses settings it does not know
                    server.equals("moto") ? "storeSettings: {accessKeyId: test, secretAccessKey: test}" : ""));
            Files.createDirectories(dir.resolve("mnt"));
            var out = dir.resolve(id + ".out");
            var pb = new ProcessBuilder(IMAGE.resolve("bin/berth").toString(), "claim", "--config", config.toString())
                    .redirectOutput(out.toFile()).redirectError(dir.resolve(id + ".err").toFile());
            pb.environment().put("AWS_ACCESS_KEY_ID", "test");
            pb.environment().put("AWS_SECRET_ACCESS_KEY", "test");
            nodes.add(new Node(id, pb.start(), out));
        }
        try {
            var holders = waitForHolders(nodes, CAPACITY, 300, dir);   // a hang guard: 16 cold JVMs at load 40+ are slow
            assertEquals(CAPACITY, holders.size(), "exactly " + CAPACITY + " processes claimed: " + holders);
            assertEquals(CAPACITY, holders.values().stream().distinct().count(), "each slot once: " + holders
                    + "\n" + outputs(nodes, dir));
            Thread.sleep(2_000);
            assertEquals(CAPACITY, claimedBy(nodes).size(), "no one else claimed while the holders live");

            var victim = nodes.stream().filter(n -> holders.containsKey(n.id())).findFirst().orElseThrow();
            int victimSlot = holders.get(victim.id());
            victim.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);

            var after = waitForHolders(nodes, CAPACITY + 1, 300, dir);
            var takers = after.keySet().stream().filter(id -> !holders.containsKey(id)).toList();
            assertEquals(1, takers.size(), "exactly one waiter took over: " + after);
            var taker = nodes.stream().filter(n -> n.id().equals(takers.getFirst())).findFirst().orElseThrow();
            var m = CLAIMED.matcher(taker.output());
            assertTrue(m.find());
            assertEquals(victimSlot, Integer.parseInt(m.group(1)), "the taker got the killed holder's slot");
            assertTrue(Long.parseLong(m.group(2)) >= 2, "at a higher epoch: " + taker.output());

            // the other ten wait out their bound and report the cluster full
            for (var n : nodes) {
                if (!after.containsKey(n.id())) {
                    assertTrue(n.process().waitFor(120, TimeUnit.SECONDS), n.id() + " did not give up waiting");
                    assertEquals(3, n.process().exitValue(), n.id() + ": " + n.output()
                            + Files.readString(dir.resolve(n.id() + ".err")));
                    assertTrue(n.output().startsWith("full:"), n.output());
                }
            }
        } finally {
            for (var n : nodes) {
                n.process().destroy();
            }
            for (var n : nodes) {
                if (!n.process().waitFor(20, TimeUnit.SECONDS)) {
                    n.process().destroyForcibly();
                }
            }
        }
    }

    /** Every process's stdout and last stderr lines, for a failure message. */
    private static String outputs(List<Node> nodes, Path dir) throws Exception {
        var all = new StringBuilder();
        for (var n : nodes) {
            var err = Files.readString(dir.resolve(n.id() + ".err")).lines().toList();
            all.append(n.id()).append(": ").append(n.output().strip()).append(" | ")
                    .append(String.join(" / ", err.subList(Math.max(0, err.size() - 4), err.size()))).append('\n');
        }
        return all.toString();
    }

    private static Map<String, Integer> claimedBy(List<Node> nodes) throws Exception {
        var result = new TreeMap<String, Integer>();
        for (var n : nodes) {
            var m = CLAIMED.matcher(n.output());
            if (m.find()) {
                result.put(n.id(), Integer.parseInt(m.group(1)));
            }
        }
        return result;
    }

    private static Map<String, Integer> waitForHolders(List<Node> nodes, int count, int seconds, Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            var held = claimedBy(nodes);
            if (held.size() >= count) {
                return held;
            }
            Thread.sleep(250);
        }
        var errors = new StringBuilder();
        for (var n : nodes) {
            errors.append(n.id()).append(": ").append(n.output().strip()).append(" | ")
                    .append(Files.readString(dir.resolve(n.id() + ".err")).lines().reduce((a, b) -> b).orElse("")).append('\n');
        }
        throw new AssertionError("only " + claimedBy(nodes).size() + " of " + count + " claims after " + seconds + " s:\n" + errors);
    }
}
