package dev.berth.store.etcd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.PluginConfig;
import dev.berth.spi.StoreException;
import dev.berth.spi.Written;
import dev.berth.store.tck.TestServers;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A single etcd of its own with authentication enabled and simple tokens that live one second:
 * the store authenticates through {@code /v3/auth/authenticate}, renews a token etcd forgot, and
 * says clearly (without the password) when the password or the role is wrong.
 */
class EtcdAuthTest {
    private static final String PASSWORD = "s3cret-root-pw";
    private static Process etcd;
    private static int port;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startEtcdWithAuth() throws Exception {
        TestServers.need(EtcdTrialCluster.onPath("etcd") && EtcdTrialCluster.onPath("etcdctl"),
                "etcd and etcdctl are not on PATH (apt-get install etcd-server etcd-client)");
        port = EtcdTrialCluster.freePort();
        int peer = EtcdTrialCluster.freePort();
        etcd = new ProcessBuilder("etcd", "--name", "auth", "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", "http://127.0.0.1:" + port, "--advertise-client-urls", "http://127.0.0.1:" + port,
                "--listen-peer-urls", "http://127.0.0.1:" + peer, "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-cluster", "auth=http://127.0.0.1:" + peer, "--auth-token-ttl", "1", "--log-level", "warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
        awaitUp();
        etcdctl("user", "add", "root:" + PASSWORD);
        etcdctl("user", "add", "norole:other-pw");
        etcdctl("auth", "enable");
    }

    @AfterAll
    static void stopEtcd() throws InterruptedException {
        if (etcd != null) {
            etcd.destroyForcibly();
            etcd.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aUserWithItsPasswordWritesAndReadsAndSurvivesAnExpiredToken() throws Exception {
        var config = new PluginConfig("store", Map.of("password", PASSWORD));
        try (var store = new EtcdClaimStoreFactory().open(URI.create("etcd://127.0.0.1:" + port + "/authed?user=root"),
                config)) {
            assertInstanceOf(Written.class, store.putIfAbsent("k", new byte[] {1, 2}));
            Thread.sleep(2_500); // the simple token lives one second unused: etcd forgets it
            var read = store.get("k").orElseThrow();
            assertArrayEquals(new byte[] {1, 2}, read.value());
            assertInstanceOf(Written.class, store.compareAndSet("k", read.version(), new byte[] {3}));
        }
    }

    @Test
    void aWrongPasswordIsNotRetryableNamesTheEndpointAndNeverShowsThePassword() {
        var config = new PluginConfig("store", Map.of("password", "wrong-" + PASSWORD));
        try (var store = new EtcdClaimStoreFactory().open(URI.create("etcd://127.0.0.1:" + port + "/authed?user=root"),
                config)) {
            var e = assertThrows(StoreException.class, () -> store.get("k"));
            assertFalse(e.retryable(), e.getMessage());
            assertTrue(e.getMessage().contains("127.0.0.1:" + port) && e.getMessage().contains("password"), e.getMessage());
            assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
        }
    }

    @Test
    void aUserWithoutARoleOnThePrefixIsToldToCheckPermissions() {
        var config = new PluginConfig("store", Map.of("password", "other-pw"));
        try (var store = new EtcdClaimStoreFactory().open(URI.create("etcd://127.0.0.1:" + port + "/authed?user=norole"),
                config)) {
            var e = assertThrows(StoreException.class, () -> store.putIfAbsent("k2", new byte[] {1}));
            assertFalse(e.retryable(), e.getMessage());
            assertTrue(e.getMessage().contains("permission"), e.getMessage());
        }
    }

    @Test
    void withoutAUserTheStoreIsToldAuthenticationIsNeeded() {
        try (var store = new EtcdClaimStoreFactory().open(URI.create("etcd://127.0.0.1:" + port + "/authed"),
                PluginConfig.empty("store"))) {
            var e = assertThrows(StoreException.class, () -> store.get("k"));
            assertFalse(e.retryable(), e.getMessage());
            assertTrue(e.getMessage().contains("user"), e.getMessage());
        }
    }

    private static void awaitUp() throws Exception {
        var client = new GatewayConnections(null, Duration.ofSeconds(1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                var status = client.post(URI.create("http://127.0.0.1:" + port), "/v3/maintenance/status",
                        "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), null, Duration.ofSeconds(1));
                if (status.statusCode() == 200
                        && new String(status.body(), java.nio.charset.StandardCharsets.UTF_8).contains("\"leader\"")) {
                    client.close();
                    return;
                }
            } catch (IOException e) {
                // not yet listening
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("etcd with auth did not start within 20 s; see " + dir.resolve("etcd.log"));
            }
            Thread.sleep(100);
        }
    }

    private static void etcdctl(String... args) throws Exception {
        var command = new java.util.ArrayList<>(List.of("etcdctl", "--endpoints=http://127.0.0.1:" + port));
        command.addAll(List.of(args));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command).replace(PASSWORD, "***") + " failed: " + out);
        }
    }
}
