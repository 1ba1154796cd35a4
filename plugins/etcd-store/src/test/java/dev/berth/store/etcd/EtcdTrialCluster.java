package dev.berth.store.etcd;

import dev.berth.store.tck.TestServers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A 3-member etcd cluster on 127.0.0.1 for the trials: each member a real etcd process with its
 * own data directory, which the trial kills (SIGKILL), pauses (SIGSTOP/SIGCONT) and restarts.
 * Short heartbeat and election timeouts so that a new leader is elected within a second.
 */
final class EtcdTrialCluster implements AutoCloseable {
    private static final Pattern MEMBER_ID = Pattern.compile("\"member_id\"\\s*:\\s*\"(\\d+)\"");
    private static final Pattern LEADER = Pattern.compile("\"leader\"\\s*:\\s*\"(\\d+)\"");

    private final Path dir;
    private final int[] clientPorts = new int[3];
    private final int[] peerPorts = new int[3];
    private final Process[] members = new Process[3];

    private EtcdTrialCluster(Path dir) {
        this.dir = dir;
    }

    static EtcdTrialCluster start(Path dir) throws IOException, InterruptedException {
        TestServers.need(onPath("etcd"), "etcd is not on PATH: the etcd trial runs its own 3-member cluster (apt-get install"
                + " etcd-server, or run scripts/test.sh, which installs it)");
        var cluster = new EtcdTrialCluster(dir);
        for (int m = 0; m < 3; m++) {
            cluster.clientPorts[m] = freePort();
            cluster.peerPorts[m] = freePort();
        }
        for (int m = 0; m < 3; m++) {
            cluster.launch(m);
        }
        cluster.awaitLeader(Duration.ofSeconds(30));
        return cluster;
    }

    /** The store URI naming all three members. */
    String endpoints() {
        var list = new ArrayList<String>();
        for (int port : clientPorts) {
            list.add("127.0.0.1:" + port);
        }
        return String.join(",", list);
    }

    private void launch(int m) throws IOException {
        var initial = new ArrayList<String>();
        for (int i = 0; i < 3; i++) {
            initial.add("m" + i + "=http://127.0.0.1:" + peerPorts[i]);
        }
        var data = dir.resolve("m" + m);
        boolean fresh = !Files.exists(data);
        var command = List.of("etcd", "--name", "m" + m, "--data-dir", data.toString(),
                "--listen-client-urls", "http://127.0.0.1:" + clientPorts[m],
                "--advertise-client-urls", "http://127.0.0.1:" + clientPorts[m],
                "--listen-peer-urls", "http://127.0.0.1:" + peerPorts[m],
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPorts[m],
                "--initial-cluster", String.join(",", initial), "--initial-cluster-token", "berth-trial",
                "--initial-cluster-state", fresh ? "new" : "existing",
                "--heartbeat-interval", "50", "--election-timeout", "500", "--log-level", "warn");
        members[m] = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("m" + m + ".log").toFile())).start();
    }

    /** SIGKILL: the member dies mid-whatever; its data directory stays for the restart. */
    void kill(int m) throws InterruptedException {
        members[m].destroyForcibly();
        members[m].waitFor(10, TimeUnit.SECONDS);
    }

    void restart(int m) throws IOException {
        launch(m);
    }

    void pause(int m) throws IOException, InterruptedException {
        signal(m, "STOP");
    }

    void resume(int m) throws IOException, InterruptedException {
        signal(m, "CONT");
    }

    private void signal(int m, String signal) throws IOException, InterruptedException {
        var kill = new ProcessBuilder("kill", "-" + signal, Long.toString(members[m].pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + members[m].pid() + " (etcd member m" + m + ") failed");
        }
    }

    /** The member that leads now, as the members that answer see it. */
    Optional<Integer> leader() {
        String leaderId = null;
        var ids = new String[3];
        for (int m = 0; m < 3; m++) {
            try {
                var body = status(clientPorts[m]);
                var id = MEMBER_ID.matcher(body);
                var leader = LEADER.matcher(body);
                if (id.find() && leader.find()) {
                    ids[m] = id.group(1);
                    leaderId = leader.group(1);
                }
            } catch (IOException e) {
                // down or paused: it does not say
            }
        }
        for (int m = 0; m < 3; m++) {
            if (ids[m] != null && ids[m].equals(leaderId)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** etcd's JSON gateway: POST /v3/maintenance/status names the member and its leader. */
    private static String status(int port) throws IOException {
        var connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/v3/maintenance/status").toURL()
                .openConnection();
        connection.setConnectTimeout(500);
        connection.setReadTimeout(500);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        try (var out = connection.getOutputStream()) {
            out.write("{}".getBytes(StandardCharsets.UTF_8));
        }
        try (var in = connection.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            connection.disconnect();
        }
    }

    void awaitLeader(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (leader().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the 3-member etcd trial cluster elected no leader within " + limit.toSeconds()
                        + " s; see " + dir + "/m*.log");
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (int m = 0; m < 3; m++) {
            if (members[m] != null) {
                try {
                    resume(m); // a stopped process does not die of SIGKILL until continued on some kernels
                } catch (IOException e) {
                    // already gone
                }
                kill(m);
            }
        }
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static boolean onPath(String tool) {
        for (var entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(entry, tool))) {
                return true;
            }
        }
        return false;
    }
}
