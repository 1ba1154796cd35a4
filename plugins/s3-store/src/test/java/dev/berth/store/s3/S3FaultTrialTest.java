package dev.berth.store.s3;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.ClaimStore;
import dev.berth.storecheck.history.HistoryRecorder;
import dev.berth.storecheck.history.LinearizabilityChecker;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Trials: the product's S3 store on moto and on S3Proxy, through {@link S3FaultProxy}, which drops
 * answers after the server did the work, answers 503 SlowDown before or after forwarding, and
 * delays, on 8% of the requests (the S3Proxy and moto trials together check 10,000 operations). The store resolves lost answers itself (it reads the object its
 * write id names); what it cannot resolve is an unknown outcome. The history must be linearizable.
 */
class S3FaultTrialTest {

    @Test
    void onMotoThroughAFaultProxyTheStoreStaysLinearizable() throws Exception {
        trial(S3TestServers.MOTO, 8, 1_500); // moto serves one request at a time: about 30 operations a second here
    }

    /** S3Proxy serves requests concurrently, so more clients record more operations in the same time. */
    @Test
    void onS3ProxyThroughAFaultProxyTheStoreStaysLinearizable() throws Exception {
        trial(S3TestServers.S3PROXY, 12, 8_500);
    }

    private static void trial(S3TestServers server, int clients, int operations) throws Exception {
        long started = System.nanoTime();
        server.ensureBucket();
        try (var proxy = new S3FaultProxy(server.endpoint(), 8, started)) {
            // the longest delays outlast the timeout: the client gives up, the server may still do the work
            var config = server.config().with("timeoutMillis", "1000");
            var uri = URI.create("s3://" + S3TestServers.BUCKET + "/trial-" + UUID.randomUUID().toString().substring(0, 8)
                    + "?region=us-east-1&pathStyle=true&endpoint=" + proxy.endpoint());
            var stores = new ArrayList<ClaimStore>();
            for (int s = 0; s < 4; s++) {
                stores.add(new S3ClaimStoreFactory().open(uri, config));
            }
            var keys = IntStream.range(0, 4).mapToObj(k -> "k" + k).toList();
            // the duration is a cap, not a goal: a busy machine records the operations more slowly
            var history = HistoryRecorder.run(stores, keys, clients, operations, Duration.ofSeconds(240));
            stores.forEach(ClaimStore::close);
            var verdict = LinearizabilityChecker.check(history);
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            System.out.println("[trial s3 " + server + " fault proxy, " + clients + " clients] faults: " + proxy.counts() + "; " + verdict.summary()
                    + "; trial " + seconds + " s");
            assertTrue(verdict.linearizable(), verdict.summary());
            assertTrue(proxy.faults() >= 100, "only " + proxy.faults() + " faults injected: " + proxy.counts());
            assertTrue(history.size() >= operations / 3, "only " + history.size() + " operations in " + seconds + " s");
        }
    }

}
