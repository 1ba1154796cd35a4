package dev.berth.store.etcd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway transport against a scripted HTTP/1.1 server on 127.0.0.1 (no etcd needed). */
class GatewayConnectionsTest {

    /** What the scripted server does with each connection it accepts (the n-th, from 0). */
    private interface Script {
        void serve(int n, Socket socket, BufferedReader in, OutputStream out) throws Exception;
    }

    /** A one-thread server that runs {@code script} for every connection and counts them. */
    private static final class Scripted implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0);
        final AtomicInteger accepted = new AtomicInteger();
        final Thread thread;

        Scripted(Script script) throws IOException {
            thread = Thread.ofPlatform().daemon().start(() -> {
                while (!server.isClosed()) {
                    try (var socket = server.accept()) {
                        int n = accepted.getAndIncrement();
                        var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                        script.serve(n, socket, in, socket.getOutputStream());
                    } catch (Exception e) {
                        // the next connection, or the server was closed
                    }
                }
            });
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** Reads one request (head and Content-Length body); false at the end of the connection. */
    private static boolean request(BufferedReader in) throws IOException {
        String line = in.readLine();
        if (line == null) {
            return false;
        }
        int length = 0;
        while (!(line = in.readLine()).isEmpty()) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        for (int i = 0; i < length; i++) {
            in.read();   // ISO-8859-1: one char a byte
        }
        return true;
    }

    private static void answer(OutputStream out, String body) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aChunkedAnswerIsReadWhole() throws Exception {
        try (var server = new Scripted((n, socket, in, out) -> {
            request(in);
            out.write(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "6\r\n{\"kvs\"\r\n" + "a;ext=1\r\n:[1,2,3]}\n\r\n" + "0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            request(in);
        }); var client = new GatewayConnections(null, Duration.ofSeconds(1))) {
            var answer = client.post(server.uri(), "/v3/kv/range", json("{}"), null, Duration.ofSeconds(2));
            assertEquals(200, answer.statusCode());
            assertArrayEquals(json("{\"kvs\":[1,2,3]}\n"), answer.body());
        }
    }

    @Test
    void aKeptAliveConnectionCarriesTheNextRequests() throws Exception {
        try (var server = new Scripted((n, socket, in, out) -> {
            while (request(in)) {
                answer(out, "{\"n\":" + n + "}");
            }
        }); var client = new GatewayConnections(null, Duration.ofSeconds(1))) {
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(json("{\"n\":0}"), client.post(server.uri(), "/v3/kv/range", json("{}"), null,
                        Duration.ofSeconds(2)).body());
            }
            assertEquals(1, server.accepted.get(), "one connection for five requests");
        }
    }

    @Test
    void anIdleConnectionTheMemberClosedCarriesNoWrite() throws Exception {
        var closed = new CountDownLatch(1);
        try (var server = new Scripted((n, socket, in, out) -> {
            request(in);
            answer(out, "{\"n\":" + n + "}");   // kept alive as far as the client knows ...
            if (n == 0) {
                socket.close();                 // ... but the member goes away (a restart)
                closed.countDown();
            }
            request(in);
        }); var client = new GatewayConnections(null, Duration.ofSeconds(1))) {
            client.post(server.uri(), "/v3/kv/txn", json("{}"), null, Duration.ofSeconds(2));
            assertTrue(closed.await(5, TimeUnit.SECONDS));
            Thread.sleep(50);   // the FIN on its way over loopback
            var second = client.post(server.uri(), "/v3/kv/txn", json("{}"), null, Duration.ofSeconds(2));
            assertArrayEquals(json("{\"n\":1}"), second.body(), "the write went over a fresh connection");
        }
    }

    @Test
    void aMemberThatDoesNotAnswerTimesOutWithinTheBound() throws Exception {
        try (var server = new Scripted((n, socket, in, out) -> {
            request(in);
            Thread.sleep(10_000);
        }); var client = new GatewayConnections(null, Duration.ofSeconds(1))) {
            long started = System.nanoTime();
            assertThrows(SocketTimeoutException.class,
                    () -> client.post(server.uri(), "/v3/kv/range", json("{}"), null, Duration.ofMillis(300)));
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis >= 250 && millis < 3_000, "gave up after " + millis + " ms");
        }
    }

    @Test
    void nothingListeningIsARefusedConnectNotAnUnansweredRequest() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (var client = new GatewayConnections(null, Duration.ofSeconds(1))) {
            var e = assertThrows(IOException.class, () -> client.post(URI.create("http://127.0.0.1:" + port), "/v3/kv/range",
                    json("{}"), null, Duration.ofSeconds(1)));
            assertTrue(e instanceof ConnectException && EtcdFailures.notSent(e), e.toString());
        }
    }

    @Test
    void anInterruptedCallEndsAtOnceAndSaysSo() throws Exception {
        try (var server = new Scripted((n, socket, in, out) -> {
            request(in);
            Thread.sleep(10_000);
        })) {
            var config = new dev.berth.spi.PluginConfig("store", java.util.Map.of("timeoutMillis", "8000"));
            int port = server.server.getLocalPort();
            try (var store = new EtcdClaimStoreFactory().open(URI.create("etcd://127.0.0.1:" + port + "/x"), config)) {
                var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
                var caller = Thread.ofPlatform().start(() -> {
                    try {
                        store.get("k");
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
                while (server.accepted.get() == 0) {
                    Thread.sleep(10);
                }
                long started = System.nanoTime();
                caller.interrupt();
                caller.join(3_000);
                assertFalse(caller.isAlive(), "the call did not end on interrupt");
                assertTrue((System.nanoTime() - started) / 1_000_000 < 2_000);
                assertTrue(failure.get() instanceof dev.berth.spi.StoreException e && e.getMessage().contains("interrupted"),
                        String.valueOf(failure.get()));
            }
        }
    }

    /** keytool's exit code and output, for a failing message. */
    private static void keytool(Path dir, String... args) throws Exception {
        var command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        var process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        var said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), said);
    }

    @Test
    void anHttpsMemberIsTrustedThroughTheCaFileAndCheckedForItsName(@TempDir Path dir) throws Exception {
        keytool(dir, "-genkeypair", "-alias", "etcd", "-keyalg", "EC", "-dname", "CN=etcd", "-ext", "san=ip:127.0.0.1",
                "-validity", "2", "-keystore", "member.p12", "-storepass", "changeit");
        keytool(dir, "-exportcert", "-rfc", "-alias", "etcd", "-keystore", "member.p12", "-storepass", "changeit",
                "-file", "ca.pem");
        var keys = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(dir.resolve("member.p12"))) {
            keys.load(in, "changeit".toCharArray());
        }
        var managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, "changeit".toCharArray());
        var context = SSLContext.getInstance("TLS");
        context.init(managers.getKeyManagers(), null, null);
        try (var server = context.getServerSocketFactory().createServerSocket(0)) {
            var served = new AtomicInteger();
            Thread.ofPlatform().daemon().start(() -> {
                while (!server.isClosed()) {
                    try (var socket = server.accept()) {
                        var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                        while (request(in)) {
                            answer(socket.getOutputStream(), "{\"header\":{\"revision\":\"7\"},\"count\":\"0\"}");
                            served.incrementAndGet();
                        }
                    } catch (IOException e) {
                        // a client that did not trust us, or the end
                    }
                }
            });
            var config = new dev.berth.spi.PluginConfig("store", java.util.Map.of("caFile", dir.resolve("ca.pem").toString(),
                    "timeoutMillis", "3000"));
            int port = server.getLocalPort();
            try (var store = new EtcdClaimStoreFactory().open(URI.create("etcd://127.0.0.1:" + port + "/x?tls=true"), config)) {
                assertTrue(store.get("k").isEmpty());
                assertTrue(store.get("k").isEmpty());
            }
            assertEquals(2, served.get());
            // the same member under a name its certificate does not carry: refused, like any https client does
            try (var store = new EtcdClaimStoreFactory().open(URI.create("etcd://localhost:" + port + "/x?tls=true"), config)) {
                var e = assertThrows(dev.berth.spi.StoreException.class, () -> store.get("k"));
                assertTrue(e.getMessage().contains("localhost:" + port) && e.getMessage().contains("caFile"), e.getMessage());
                assertFalse(e.retryable(), "a certificate the store does not trust is not a passing failure");
            }
        }
    }
}
