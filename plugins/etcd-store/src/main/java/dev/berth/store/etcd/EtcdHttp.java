package dev.berth.store.etcd;

import dev.berth.spi.StoreException;
import dev.berth.spi.StoreStats;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * POSTs to etcd's v3 JSON gateway over {@link GatewayConnections}, one member after the other.
 * <ul>
 *   <li>Every call is bounded by the store's timeout. A read that gets no answer, or a retryable
 *   error, asks the next member while time remains; a write asks the next member only when it
 *   certainly never left (connection refused or not made), since a write that timed out may have
 *   happened: that is a retryable {@link StoreException}, and callers re-read.</li>
 *   <li>The member that answered last is asked first next time.</li>
 *   <li>With a user, a token from {@code /v3/auth/authenticate} goes in the {@code Authorization}
 *   header; a token etcd no longer knows is renewed once.</li>
 * </ul>
 */
final class EtcdHttp implements AutoCloseable {

    private final EtcdSettings settings;
    private final GatewayConnections client;
    private final List<URI> endpoints;
    private final AtomicInteger preferred = new AtomicInteger();
    private final Object authLock = new Object();
    private volatile String token;
    private final LongAdder[] sent = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};

    /** What a request does, for {@link #stats()}; reads and lists may be asked of another member again. */
    enum Kind { READ, WRITE, LIST, DELETE }

    private EtcdHttp(EtcdSettings settings, GatewayConnections client) {
        this.settings = settings;
        this.client = client;
        this.endpoints = settings.endpoints();
    }

    static EtcdHttp open(EtcdSettings settings) {
        SSLContext tls = settings.caFile().isPresent() ? trusting(settings) : settings.tls() ? defaultTls(settings) : null;
        return new EtcdHttp(settings, new GatewayConnections(tls, settings.connectTimeout()));
    }

    /** The JDK's own trust (its cacerts), for https endpoints without a caFile. */
    private static SSLContext defaultTls(EtcdSettings settings) {
        try {
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new StoreException("cannot set up TLS for " + settings.describe() + ": " + e.getMessage()
                    + "; check the Java runtime's TLS configuration or set a caFile", false, e);
        }
    }

    /** An SSLContext that trusts the certificates of the PEM file named by caFile (and only those). */
    private static SSLContext trusting(EtcdSettings settings) {
        var file = settings.caFile().orElseThrow();
        try (InputStream in = Files.newInputStream(file)) {
            var certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new StoreException("the etcd CA file " + file + " holds no certificate; check that it holds PEM"
                        + " certificates (-----BEGIN CERTIFICATE-----)", false);
            }
            var keyStore = KeyStore.getInstance(KeyStore.getDefaultType());
            keyStore.load(null, null);
            int i = 0;
            for (var certificate : certificates) {
                keyStore.setCertificateEntry("ca-" + i++, certificate);
            }
            var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(keyStore);
            var context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new StoreException("cannot set up TLS for " + settings.describe() + " with CA file " + file + ": "
                    + e.getMessage() + "; check that the file holds PEM certificates", false, e);
        }
    }

    /**
     * POSTs {@code body} to {@code path} and returns the answer's body.
     *
     * @param kind a read or list changes nothing, so that any member may be asked again
     */
    byte[] post(String path, byte[] body, Kind kind, String operation, String key) {
        boolean read = kind == Kind.READ || kind == Kind.LIST;
        long timeoutNanos = settings.timeout().toNanos();
        long deadline = System.nanoTime() + timeoutNanos;
        int start = preferred.get();
        int attempts = endpoints.size() * 2;
        StoreException last = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            int index = Math.floorMod(start + attempt, endpoints.size());
            // with several members, one that hangs (paused, partitioned) takes at most half of what is left
            long bound = endpoints.size() == 1 || attempt == attempts - 1 ? remaining : Math.max(remaining / 2, 1);
            try {
                byte[] answer = attempt(endpoints.get(index), path, body, kind, Duration.ofNanos(bound), operation, key);
                preferred.set(index);
                return answer;
            } catch (Unanswered e) {
                last = e.failure;
                if (!read && !e.notSent) {
                    preferred.compareAndSet(start, index + 1);
                    throw e.failure;
                }
            } catch (Refused e) {
                if (!read || !e.failure.retryable()) {
                    if (e.failure.retryable()) {
                        preferred.compareAndSet(start, index + 1);
                    }
                    throw e.failure;
                }
                last = e.failure;
            }
        }
        preferred.compareAndSet(start, start + 1);
        if (last != null) {
            throw last;
        }
        throw new StoreException("etcd at " + settings.describe() + " did not answer " + operation + " of '" + key
                + "' within " + settings.timeout().toMillis() + " ms; check that etcd runs and is reachable (a write"
                + " may or may not have happened: re-read before deciding)", true);
    }

    private byte[] attempt(URI endpoint, String path, byte[] body, Kind kind, Duration bound, String operation, String key)
            throws Unanswered, Refused {
        long deadline = System.nanoTime() + bound.toNanos();
        String used = null;
        if (settings.user().isPresent()) {
            used = token(endpoint, bound);
        }
        var answer = send(endpoint, path, body, kind, used, bound, operation, key);
        if (answer.statusCode() != 200 && used != null && unauthenticated(answer)) {
            // the token expired or the member restarted (simple tokens live in memory): renew once
            synchronized (authLock) {
                if (used.equals(token)) {
                    token = null;
                }
            }
            long left = Math.max(deadline - System.nanoTime(), 1);
            used = token(endpoint, Duration.ofNanos(left));
            answer = send(endpoint, path, body, kind, used, Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1)),
                    operation, key);
        }
        if (answer.statusCode() != 200) {
            throw new Refused(EtcdFailures.refused(settings.describe(), hostPort(endpoint), operation, key,
                    answer.statusCode(), EtcdJson.parseError(answer.body())));
        }
        return answer.body();
    }

    private static boolean unauthenticated(GatewayConnections.Answer answer) {
        var error = EtcdJson.parseError(answer.body());
        return error != null && error.code() == EtcdFailures.UNAUTHENTICATED;
    }

    private String token(URI endpoint, Duration bound) throws Unanswered, Refused {
        String current = token;
        if (current != null) {
            return current;
        }
        synchronized (authLock) {
            if (token == null) {
                var user = settings.user().orElseThrow();
                var answer = send(endpoint, "/v3/auth/authenticate",
                        EtcdJson.authenticate(user, settings.password().orElse(new char[0])), Kind.READ, null, bound,
                        "authenticate", user);
                if (answer.statusCode() != 200) {
                    throw new Refused(EtcdFailures.refused(settings.describe(), hostPort(endpoint),
                            "authenticate of user", user, answer.statusCode(), EtcdJson.parseError(answer.body())));
                }
                String fresh = EtcdJson.parseToken(answer.body());
                if (fresh == null || fresh.isEmpty()) {
                    throw new Refused(new StoreException("etcd at " + settings.describe() + " (endpoint "
                            + hostPort(endpoint) + ") answered the authentication of user '" + user + "' without a"
                            + " token; check that authentication is enabled (etcdctl auth enable)", false));
                }
                token = fresh;
            }
            return token;
        }
    }

    private GatewayConnections.Answer send(URI endpoint, String path, byte[] body, Kind kind, String auth, Duration bound,
                                      String operation, String key) throws Unanswered, Refused {
        sent[kind.ordinal()].increment();
        try {
            return client.post(endpoint, path, body, auth, bound);
        } catch (javax.net.ssl.SSLHandshakeException e) {
            // asking again will not help: the member's certificate is not one this store trusts
            throw new Refused(new StoreException("etcd at " + settings.describe() + " (endpoint " + hostPort(endpoint)
                    + "): the TLS handshake failed for " + operation + " of '" + key + "' (" + e.getMessage() + "); check"
                    + " that the setting caFile holds the CA that signed the member's certificate and that the store URI"
                    + " names the member as its certificate does", false, e));
        } catch (java.nio.channels.ClosedByInterruptException e) {
            // the calling thread was interrupted (its connection is closed with it): no other member is asked
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted during " + operation + " of '" + key + "' on " + settings.describe()
                    + " (a write may or may not have happened: re-read before deciding)", true, e);
        } catch (IOException e) {
            throw new Unanswered(EtcdFailures.unanswered(settings.describe(), hostPort(endpoint), operation, key, e,
                    bound.toMillis()), EtcdFailures.notSent(e));
        }
    }

    /** HTTP requests sent since the store was opened (a member asked again and an authentication count too). */
    StoreStats stats() {
        return new StoreStats(sent[Kind.READ.ordinal()].sum(), sent[Kind.WRITE.ordinal()].sum(),
                sent[Kind.LIST.ordinal()].sum(), sent[Kind.DELETE.ordinal()].sum());
    }

    private static String hostPort(URI endpoint) {
        return endpoint.getHost() + ":" + endpoint.getPort();
    }

    @Override
    public void close() {
        client.close();
    }

    /** No answer from one member; notSent when the request certainly never reached it. */
    private static final class Unanswered extends Exception {
        final transient StoreException failure;
        final boolean notSent;

        Unanswered(StoreException failure, boolean notSent) {
            super(null, null, false, false);
            this.failure = failure;
            this.notSent = notSent;
        }
    }

    /** An error answer from one member. */
    private static final class Refused extends Exception {
        final transient StoreException failure;

        Refused(StoreException failure) {
            super(null, null, false, false);
            this.failure = failure;
        }
    }
}
