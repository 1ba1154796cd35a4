package dev.berth.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.berth.spi.Written;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The lost-answer path when the lost PUT lands late: the store's PUT times out, its HEAD finds
 * nothing yet, then the first PUT lands, and the store's second PUT (same write id) gets 412.
 * The write is the store's own and must be reported Written, not a conflict (a trial under load
 * once reported exactly this as NON-LINEARIZABLE: a refused write whose value then appeared).
 */
class S3LateWriteTest {

    @ParameterizedTest
    @EnumSource(S3TestServers.class)
    void aTimedOutPutThatLandsAfterTheCheckIsStillReportedAsOurWrite(S3TestServers server) throws Exception {
        server.ensureBucket();
        var headAnswered = new CountDownLatch(1);
        var firstLanded = new CountDownLatch(1);
        var puts = new AtomicInteger();
        var hook = new S3FaultProxy.Hook() {
            private final ThreadLocal<Integer> put = new ThreadLocal<>();

            @Override
            public void before(String line) throws InterruptedException {
                if (line.startsWith("PUT ") && line.contains("/k/v/")) {
                    int n = puts.incrementAndGet();
                    put.set(n);
                    if (n == 1) {
                        headAnswered.await(30, TimeUnit.SECONDS); // the client gave up; the store has looked
                    } else {
                        firstLanded.await(30, TimeUnit.SECONDS);  // the late one lands before the resend
                    }
                }
            }

            @Override
            public void after(String line, String status) {
                if (line.startsWith("HEAD ") && line.contains("/k/v/")) {
                    headAnswered.countDown();
                }
                if (Integer.valueOf(1).equals(put.get())) {
                    firstLanded.countDown();
                }
                put.remove();
            }
        };
        try (var proxy = new S3FaultProxy(server.endpoint(), 0, 1, hook)) {
            var uri = URI.create("s3://" + S3TestServers.BUCKET + "/late-" + UUID.randomUUID().toString().substring(0, 8)
                    + "?region=us-east-1&pathStyle=true&endpoint=" + proxy.endpoint());
            try (var store = new S3ClaimStoreFactory().open(uri, server.config().with("timeoutMillis", "700"))) {
                var result = store.putIfAbsent("k", "mine".getBytes(StandardCharsets.UTF_8));

                assertInstanceOf(Written.class, result, "the store's own late write was reported as " + result);
                assertEquals(2, puts.get(), "the scenario needs the PUT to be sent twice");
                assertEquals("mine", new String(store.get("k").orElseThrow().value(), StandardCharsets.UTF_8));
            }
        }
    }
}
