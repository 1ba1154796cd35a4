package dev.berth.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A small IMDSv2 on 127.0.0.1: the token PUT, then GETs that carry the token. */
final class ImdsFixture implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, String> values = new ConcurrentHashMap<>();
    private final String token = UUID.randomUUID().toString();
    volatile boolean v1Only;
    final AtomicInteger serverErrorsToGive = new AtomicInteger();
    final AtomicInteger tokenRequests = new AtomicInteger();
    final AtomicInteger requestsWithoutToken = new AtomicInteger();

    ImdsFixture() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/latest/", this::handle);
        server.start();
    }

    /** The instance as IMDS describes it; {@code group} null leaves instance tags out of the metadata. */
    static ImdsFixture of(String instanceId, String zone, String group) throws IOException {
        var fixture = new ImdsFixture();
        fixture.put("meta-data/instance-id", instanceId);
        fixture.put("meta-data/placement/availability-zone", zone);
        fixture.put("meta-data/placement/region", zone.substring(0, zone.length() - 1));
        fixture.put("meta-data/instance-type", "t3.micro");
        fixture.put("meta-data/local-ipv4", "10.0.0.12");
        if (group != null) {
            fixture.put("meta-data/tags/instance/aws:autoscaling:groupName", group);
        }
        return fixture;
    }

    void put(String path, String value) {
        values.put(path, value);
    }

    void remove(String path) {
        values.remove(path);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring("/latest/".length());
            if (path.equals("api/token")) {
                tokenRequests.incrementAndGet();
                if (v1Only) {
                    send(exchange, 403, "");
                } else if (!exchange.getRequestMethod().equals("PUT")) {
                    send(exchange, 405, "");
                } else if (exchange.getRequestHeaders().getFirst(Imds.TOKEN_TTL_HEADER) == null) {
                    send(exchange, 400, "missing TTL");
                } else {
                    send(exchange, 200, token);
                }
                return;
            }
            if (!token.equals(exchange.getRequestHeaders().getFirst(Imds.TOKEN_HEADER))) {
                requestsWithoutToken.incrementAndGet();
                send(exchange, 401, "");
                return;
            }
            if (serverErrorsToGive.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(exchange, 500, "");
                return;
            }
            var value = values.get(path);
            send(exchange, value == null ? 404 : 200, value == null ? "" : value);
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
