package dev.berth.store.s3;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Measures the server itself, without the store: 20 writers PUT the same object at once,
 * with {@code If-Match: <etag>} (what a naive CAS would use) and with {@code If-None-Match: *}
 * (what the store uses). Prints the winner counts; asserts only what the store relies on:
 * exactly one create-only writer wins.
 */
class RawConditionalWriteProbeTest {
    static final int WRITERS = 20;
    static final int ROUNDS = 20;
    static final AtomicInteger AMBIGUOUS = new AtomicInteger();

    @ParameterizedTest
    @EnumSource(S3TestServers.class)
    void ifNoneMatchIsAtomicAndIfMatchIsMeasured(S3TestServers server) throws Exception {
        server.ensureBucket();
        AMBIGUOUS.set(0);
        // setup through a client that retries (S3Proxy closes a connection after an early 412 and
        // the JDK may hand out that dead connection next); the probed PUTs are sent once each
        try (S3Client setup = server.rawClient(true); S3Client s3 = server.rawClient(false); var pool = Executors.newFixedThreadPool(WRITERS)) {
            String base = "probe-" + UUID.randomUUID().toString().substring(0, 8) + "/";
            int[] ifMatch = new int[ROUNDS];
            int[] ifNoneMatch = new int[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                String key = base + "cas-" + round;
                String etag = setUp(setup, key);
                ifMatch[round] = race(pool, writer -> s3.putObject(b -> b.bucket(S3TestServers.BUCKET).key(key).ifMatch(etag),
                        RequestBody.fromString("writer-" + writer)));
                String fresh = base + "create-" + round;
                ifNoneMatch[round] = race(pool, writer -> s3.putObject(b -> b.bucket(S3TestServers.BUCKET).key(fresh).ifNoneMatch("*"),
                        RequestBody.fromString("writer-" + writer)));
            }
            System.out.println("[RawConditionalWriteProbeTest " + server + "] " + WRITERS + " concurrent writers x " + ROUNDS
                    + " rounds: If-Match winners per round " + summary(ifMatch) + "; If-None-Match winners per round "
                    + summary(ifNoneMatch) + "; writes without an answer (connection closed): " + AMBIGUOUS.get());
            for (int round = 0; round < ROUNDS; round++) {
                assertTrue(ifNoneMatch[round] <= 1, "If-None-Match: * must let at most one writer create the object (round "
                        + round + "); the S3 store's safety rests on it");
            }
        }
    }

    /**
     * An unconditional PUT, tried until it gets an answer: the JDK's keep-alive cache is shared by
     * all clients of the JVM, and may hold several connections that S3Proxy closed after an early 412.
     */
    private static String setUp(S3Client setup, String key) {
        for (int attempt = 1; ; attempt++) {
            try {
                return setup.putObject(b -> b.bucket(S3TestServers.BUCKET).key(key), RequestBody.fromString("v0")).eTag();
            } catch (SdkClientException e) {
                if (attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    private interface Write {
        void write(int writer);
    }

    private static int race(java.util.concurrent.ExecutorService pool, Write write) throws Exception {
        var barrier = new CyclicBarrier(WRITERS);
        var futures = new ArrayList<Future<Boolean>>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            futures.add(pool.submit(() -> {
                barrier.await(30, TimeUnit.SECONDS);
                try {
                    write.write(writer);
                    return true;
                } catch (S3Exception e) {
                    if (e.statusCode() == 412 || e.statusCode() == 409) {
                        return false;
                    }
                    throw e;
                } catch (SdkClientException e) {
                    // S3Proxy may close the connection while answering 412 before it read the body:
                    // no answer, counted apart and never as a win
                    AMBIGUOUS.incrementAndGet();
                    return false;
                }
            }));
        }
        int wins = 0;
        for (var future : futures) {
            if (future.get(60, TimeUnit.SECONDS)) {
                wins++;
            }
        }
        return wins;
    }

    private static String summary(int[] wins) {
        int max = 0;
        int over = 0;
        long total = 0;
        for (int w : wins) {
            max = Math.max(max, w);
            total += w;
            if (w > 1) {
                over++;
            }
        }
        return "max " + max + ", more than one in " + over + "/" + wins.length + " rounds, total " + total
                + " " + java.util.Arrays.toString(wins);
    }
}
