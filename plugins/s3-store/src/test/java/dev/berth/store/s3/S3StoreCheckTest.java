package dev.berth.store.s3;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.storecheck.StoreCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class S3StoreCheckTest {

    @ParameterizedTest
    @EnumSource(S3TestServers.class)
    void storeCheckThroughTheS3StoreSaysSafeAndCleansUp(S3TestServers server) {
        try (var store = server.open()) {
            var report = StoreCheck.run(store, "scratch/", 20, 20);
            System.out.println("[S3StoreCheckTest " + server + "] " + report.summary());
            assertTrue(report.safe(), report.summary());
            assertTrue(store.list("scratch/").isEmpty(), "store check must leave no live key behind");
        }
    }
}
