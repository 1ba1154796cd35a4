package dev.berth.store.s3;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.berth.storecheck.history.HistoryRecorder;
import dev.berth.storecheck.history.LinearizabilityChecker;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The checker can fail: the obvious one-object-per-key If-Match store on S3Proxy, whose If-Match
 * is not atomic (NaiveIfMatchStoreCheckTest), records a history that no register allows.
 */
class NaiveIfMatchHistoryTest {

    @Test
    void theNaiveIfMatchStoreOnS3ProxyIsFoundNotLinearizable() {
        var server = S3TestServers.S3PROXY;
        server.ensureBucket();
        try (var s3 = server.rawClient(false)) {
            var store = new NaiveIfMatchStore(s3, "naive-history-" + UUID.randomUUID().toString().substring(0, 8) + "/");
            var history = HistoryRecorder.run(store, List.of("k0", "k1"), 16, 3_000, Duration.ofSeconds(60));
            var verdict = LinearizabilityChecker.check(history);
            System.out.println("[NaiveIfMatchHistoryTest S3PROXY] " + verdict.summary());
            assertFalse(verdict.linearizable(), verdict.summary());
        }
    }
}
