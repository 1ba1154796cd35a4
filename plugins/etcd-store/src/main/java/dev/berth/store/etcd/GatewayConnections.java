package dev.berth.store.etcd;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Blocking HTTP/1.1 POSTs to etcd's JSON gateway over kept-alive connections, a few per member. It replaces
 * {@code java.net.http.HttpClient}, whose asynchronous machinery (selector thread, futures, flows) took about
 * three quarters of the CPU of a {@code berth store check} on etcd (JFR, BENCHMARKS.md): here a request is one
 * write and a few reads on the calling thread. What the gateway needs is small: {@code POST} with a JSON body,
 * answers with {@code Content-Length} or chunked, TLS with the settings' trust.
 * <ul>
 *   <li>Every read and the connect are bounded by what is left of the request's bound; past it, a
 *   {@link SocketTimeoutException} (the request may have been processed), and the connection is dropped.</li>
 *   <li>A connection that fails to connect throws {@link ConnectException} or {@link UnknownHostException}: the
 *   request was certainly not sent.</li>
 *   <li>An idle connection that the member closed (or that holds unexpected bytes) is dropped before reuse, so that
 *   a restarted member is not taken for one that lost a write.</li>
 * </ul>
 */
final class GatewayConnections implements AutoCloseable {

    /** One answer: the HTTP status and the whole body. */
    record Answer(int statusCode, byte[] body) {
    }

    /** Idle connections kept per member; more are closed after use. */
    private static final int MAX_IDLE = 32;
    /** A status line or header longer than this is not etcd's gateway. */
    private static final int MAX_LINE = 16 * 1024;

    private final SSLContext tls;
    private final Duration connectTimeout;
    private final Map<URI, ConcurrentLinkedDeque<Connection>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** {@code tls}: the context for {@code https} endpoints (null: plain HTTP only). */
    GatewayConnections(SSLContext tls, Duration connectTimeout) {
        this.tls = tls;
        this.connectTimeout = connectTimeout;
    }

    /** POSTs {@code body} (JSON) to {@code path} of {@code endpoint}, within {@code bound}. */
    Answer post(URI endpoint, String path, byte[] body, String authorization, Duration bound) throws IOException {
        long deadline = System.nanoTime() + bound.toNanos();
        var connection = idleConnection(endpoint);
        if (connection == null) {
            connection = connect(endpoint, deadline);
        }
        boolean reusable = false;
        try {
            connection.write(request(endpoint, path, body, authorization));
            var answer = connection.read(deadline);
            reusable = answer.keepAlive();
            return new Answer(answer.status(), answer.body());
        } finally {
            if (reusable && !closed) {
                release(endpoint, connection);
            } else {
                connection.close();
            }
        }
    }

    private Connection idleConnection(URI endpoint) {
        var queue = idle.get(endpoint);
        if (queue == null) {
            return null;
        }
        Connection connection;
        while ((connection = queue.pollFirst()) != null) {
            if (connection.stillOpen()) {
                return connection;
            }
            connection.close();
        }
        return null;
    }

    private void release(URI endpoint, Connection connection) {
        var queue = idle.computeIfAbsent(endpoint, e -> new ConcurrentLinkedDeque<>());
        if (queue.size() >= MAX_IDLE) {
            connection.close();
            return;
        }
        queue.addFirst(connection);
        if (closed) {
            close();
        }
    }

    private Connection connect(URI endpoint, long deadline) throws IOException {
        boolean https = "https".equals(endpoint.getScheme());
        int port = endpoint.getPort() != -1 ? endpoint.getPort() : https ? 443 : 80;
        var address = new InetSocketAddress(endpoint.getHost(), port);
        if (address.isUnresolved()) {
            throw new UnknownHostException(endpoint.getHost() + ": no such host");
        }
        long left = Math.min(connectTimeout.toMillis(), millisLeft(deadline));
        if (left <= 0) {
            throw new SocketTimeoutException("no time left to connect");
        }
        var channel = SocketChannel.open();
        try {
            Socket socket = channel.socket();
            socket.setTcpNoDelay(true);
            try {
                socket.connect(address, (int) Math.min(left, Integer.MAX_VALUE));
            } catch (SocketTimeoutException e) {
                throw new ConnectException("connect timed out after " + left + " ms");
            }
            if (https) {
                if (tls == null) {
                    throw new ConnectException("no TLS context for " + endpoint);
                }
                var secure = (SSLSocket) tls.getSocketFactory().createSocket(socket, endpoint.getHost(), port, true);
                var parameters = secure.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                secure.setSSLParameters(parameters);
                secure.setSoTimeout((int) Math.max(1, Math.min(millisLeft(deadline), Integer.MAX_VALUE)));
                secure.startHandshake();
                socket = secure;
            }
            return new Connection(channel, socket);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static long millisLeft(long deadline) {
        return (deadline - System.nanoTime()) / 1_000_000;
    }

    private static byte[] request(URI endpoint, String path, byte[] body, String authorization) {
        var head = new StringBuilder(160).append("POST ").append(path).append(" HTTP/1.1\r\nHost: ")
                .append(endpoint.getRawAuthority())
                .append("\r\nContent-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        if (authorization != null) {
            head.append("Authorization: ").append(authorization).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    @Override
    public void close() {
        closed = true;
        for (var queue : idle.values()) {
            Connection connection;
            while ((connection = queue.pollFirst()) != null) {
                connection.close();
            }
        }
    }

    /** What was read of one answer. */
    private record Read(int status, byte[] body, boolean keepAlive) {
    }

    /** One TCP (or TLS) connection to a member; used by one request at a time. */
    private static final class Connection {
        private final SocketChannel channel;
        private final Socket socket;
        private final OutputStream out;
        private final BufferedInputStream in;
        private long deadline;

        Connection(SocketChannel channel, Socket socket) throws IOException {
            this.channel = channel;
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = new BufferedInputStream(new Bounded(socket.getInputStream()), 8192);
        }

        /** False when the member closed the idle connection or wrote to it unasked: it must not carry a request. */
        boolean stillOpen() {
            if (!channel.isOpen()) {
                return false;
            }
            try {
                if (in.available() > 0) {
                    return false;
                }
                channel.configureBlocking(false);
                try {
                    return channel.read(ByteBuffer.allocate(1)) == 0;
                } finally {
                    channel.configureBlocking(true);
                }
            } catch (IOException e) {
                return false;
            }
        }

        void write(byte[] request) throws IOException {
            out.write(request);
            out.flush();
        }

        Read read(long until) throws IOException {
            this.deadline = until;
            String statusLine = line();
            while (true) {
                int status = status(statusLine);
                boolean chunked = false;
                boolean close = statusLine.startsWith("HTTP/1.0");
                long length = -1;
                String header;
                while (!(header = line()).isEmpty()) {
                    int colon = header.indexOf(':');
                    if (colon <= 0) {
                        throw new IOException("malformed header line from the gateway: " + header);
                    }
                    String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = header.substring(colon + 1).trim();
                    switch (name) {
                        case "content-length" -> length = Long.parseLong(value);
                        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                        case "connection" -> close = close || value.equalsIgnoreCase("close");
                        default -> { }
                    }
                }
                if (status >= 100 && status < 200) {   // an interim answer: the real one follows
                    statusLine = line();
                    continue;
                }
                byte[] body;
                if (chunked) {
                    body = chunks();
                } else if (length >= 0) {
                    if (length > Integer.MAX_VALUE - 16) {
                        throw new IOException("the gateway announced a body of " + length + " bytes");
                    }
                    body = in.readNBytes((int) length);
                    if (body.length != length) {
                        throw new EOFException("the gateway closed the connection after " + body.length + " of "
                                + length + " bytes");
                    }
                } else {   // no length: the body ends with the connection
                    body = in.readAllBytes();
                    close = true;
                }
                return new Read(status, body, !close);
            }
        }

        private byte[] chunks() throws IOException {
            var body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = line();
                int semicolon = sizeLine.indexOf(';');
                int size = Integer.parseInt((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim(), 16);
                if (size == 0) {
                    while (!line().isEmpty()) {
                        // trailers: none that berth needs
                    }
                    return body.toByteArray();
                }
                byte[] chunk = in.readNBytes(size);
                if (chunk.length != size) {
                    throw new EOFException("the gateway closed the connection inside a chunk");
                }
                body.write(chunk);
                if (!line().isEmpty()) {
                    throw new IOException("malformed chunk from the gateway");
                }
            }
        }

        private static int status(String statusLine) throws IOException {
            // HTTP/1.1 200 OK
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                throw new IOException("not an HTTP/1.x answer from the gateway: '" + statusLine + "'");
            }
            try {
                return Integer.parseInt(statusLine.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP/1.x status line from the gateway: '" + statusLine + "'");
            }
        }

        /** One header line without its CRLF; an EOF before it is an {@link EOFException}. */
        private String line() throws IOException {
            var line = new StringBuilder(64);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException(line.isEmpty() ? "the gateway closed the connection without an answer"
                            : "the gateway closed the connection inside a header line");
                }
                if (b == '\n') {
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') {
                        line.setLength(end - 1);
                    }
                    return line.toString();
                }
                if (line.length() >= MAX_LINE) {
                    throw new IOException("a header line from the gateway is longer than " + MAX_LINE + " bytes");
                }
                line.append((char) b);
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing: nothing to do about it
            }
            try {
                channel.close();
            } catch (IOException e) {
                // closing: nothing to do about it
            }
        }

        /** The socket's stream, each read bounded by what is left of the request's bound. */
        private final class Bounded extends InputStream {
            private final InputStream raw;

            Bounded(InputStream raw) {
                this.raw = raw;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                long left = millisLeft(deadline);
                if (left <= 0) {
                    throw new SocketTimeoutException("no answer within the bound");
                }
                socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
                return raw.read(b, off, len);
            }

            @Override
            public int available() throws IOException {
                return raw.available();
            }
        }
    }
}
