package dev.berth.store.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP/1.1 proxy between the S3 store and a test server that forwards each request and
 * then, now and then, drops the answer (the server did the work, the client hears nothing), lies
 * with a 503 SlowDown after the server did the work, answers 503 SlowDown without forwarding, or
 * delays. One request per connection ({@code Connection: close}), so every fault hits one call.
 */
final class S3FaultProxy implements AutoCloseable {

    enum Fault { NONE, DROP_ANSWER, SLOWDOWN_AFTER, SLOWDOWN_BEFORE, DELAY }

    private final ServerSocket server;
    private final URI backend;
    private final int percent;
    private final SplittableRandom seeds;
    private final Map<Fault, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Hook hook;
    private volatile boolean closed;

    /**
     * A script for deterministic tests: called with the request line ("PUT /bucket/key HTTP/1.1")
     * before the request is forwarded (it may block, to reorder requests) and after the server answered.
     */
    interface Hook {
        default void before(String requestLine) throws InterruptedException {
        }

        default void after(String requestLine, String statusLine) {
        }
    }

    /** Faults on {@code percent} of the requests, spread evenly over the four kinds. */
    S3FaultProxy(URI backend, int percent, long seed) throws IOException {
        this(backend, percent, seed, new Hook() {
        });
    }

    S3FaultProxy(URI backend, int percent, long seed, Hook hook) throws IOException {
        this.hook = hook;
        this.backend = backend;
        this.percent = percent;
        this.seeds = new SplittableRandom(seed);
        this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        for (var fault : Fault.values()) {
            counts.put(fault, new AtomicLong());
        }
        Thread.ofPlatform().daemon().name("s3-fault-proxy").start(this::accept);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Faults injected so far, by kind (NONE: requests passed untouched). */
    Map<Fault, Long> counts() {
        var result = new java.util.EnumMap<Fault, Long>(Fault.class);
        counts.forEach((k, v) -> result.put(k, v.get()));
        return result;
    }

    long faults() {
        return counts().entrySet().stream().filter(e -> e.getKey() != Fault.NONE).mapToLong(Map.Entry::getValue).sum();
    }

    private void accept() {
        while (!closed) {
            try {
                var client = server.accept();
                SplittableRandom random;
                synchronized (seeds) {
                    random = seeds.split();
                }
                Thread.ofVirtual().start(() -> serve(client, random));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("S3FaultProxy: accept failed: " + e);
                }
            }
        }
    }

    private void serve(Socket client, SplittableRandom random) {
        try (client) {
            client.setSoTimeout(30_000);
            var in = client.getInputStream();
            var out = client.getOutputStream();
            var head = readHead(in);
            if (head == null) {
                return;
            }
            var lines = new ArrayList<>(List.of(head.split("\r\n")));
            boolean expectContinue = lines.removeIf(l -> l.toLowerCase(Locale.ROOT).startsWith("expect:"));
            lines.removeIf(l -> l.toLowerCase(Locale.ROOT).startsWith("connection:"));
            lines.add("Connection: close");
            if (expectContinue) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            byte[] body = readBody(in, lines);
            var fault = pick(random);
            counts.get(fault).incrementAndGet();
            if (fault == Fault.SLOWDOWN_BEFORE) {
                slowDown(out);
                return;
            }
            if (fault == Fault.DELAY) {
                Thread.sleep(200 + random.nextInt(1_300));
            }
            hook.before(lines.getFirst());
            byte[] answer = forward(String.join("\r\n", lines) + "\r\n\r\n", body);
            var answerText = new String(answer, StandardCharsets.ISO_8859_1);
            hook.after(lines.getFirst(), answerText.substring(0, Math.max(0, answerText.indexOf("\r\n"))));
            switch (fault) {
                case DROP_ANSWER -> client.setSoLinger(true, 0); // the server did it; the client gets a reset
                case SLOWDOWN_AFTER -> slowDown(out);
                default -> {
                    out.write(answer);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // the client went away: nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Fault pick(SplittableRandom random) {
        if (random.nextInt(100) >= percent) {
            return Fault.NONE;
        }
        return switch (random.nextInt(4)) {
            case 0 -> Fault.DROP_ANSWER;
            case 1 -> Fault.SLOWDOWN_AFTER;
            case 2 -> Fault.SLOWDOWN_BEFORE;
            default -> Fault.DELAY;
        };
    }

    private static void slowDown(OutputStream out) throws IOException {
        var body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Please reduce your"
                + " request rate.</Message></Error>";
        out.write(("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Sends the request to the server on a fresh connection and reads its whole answer (it closes after it). */
    private byte[] forward(String head, byte[] body) throws IOException {
        try (var socket = new Socket(backend.getHost(), backend.getPort())) {
            socket.setSoTimeout(30_000);
            var out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return socket.getInputStream().readAllBytes();
        }
    }

    private static String readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        var text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    /** The body by Content-Length, or a chunked body passed on as it came. */
    private static byte[] readBody(InputStream in, List<String> headers) throws IOException {
        for (var header : headers) {
            var lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                return in.readNBytes(Integer.parseInt(header.substring(header.indexOf(':') + 1).strip()));
            }
            if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                var body = new ByteArrayOutputStream();
                while (true) {
                    var sizeLine = readLine(in);
                    body.writeBytes((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    int size = Integer.parseInt(sizeLine.split(";")[0].strip(), 16);
                    if (size == 0) {
                        String trailer;
                        do {
                            trailer = readLine(in);
                            body.writeBytes((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        } while (!trailer.isEmpty());
                        return body.toByteArray();
                    }
                    body.writeBytes(in.readNBytes(size));
                    body.writeBytes((readLine(in) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
            }
        }
        return new byte[0];
    }

    private static String readLine(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}
