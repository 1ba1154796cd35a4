package dev.berth.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.Conflict;
import dev.berth.spi.Deleted;
import dev.berth.spi.Written;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class S3GarbageCollectionTest {
    private final S3TestServers server = S3TestServers.MOTO;

    private List<String> sequences(String prefix, String key) {
        try (var s3 = server.rawClient()) {
            return s3.listObjectsV2(b -> b.bucket(S3TestServers.BUCKET).prefix(prefix + "/" + key + "/v/")).contents().stream()
                    .map(o -> o.key().substring(o.key().lastIndexOf('/') + 1)).toList();
        }
    }

    @Test
    void collectsOldSequencesButKeepsTheFirstAndTheNewest() {
        String prefix = "gc-" + UUID.randomUUID().toString().substring(0, 8);
        var config = server.config().with("gcKeep", "3").with("gcGraceSeconds", "0");
        try (var store = server.open(config, prefix)) {
            var version = ((Written) store.putIfAbsent("slot", "0".getBytes())).version();
            for (int i = 1; i <= 20; i++) {
                version = ((Written) store.compareAndSet("slot", version, Integer.toString(i).getBytes())).version();
            }
            store.collectGarbage("slot");
            var left = sequences(prefix, "slot");
            assertEquals(List.of(S3Layout.pad(1), S3Layout.pad(19), S3Layout.pad(20), S3Layout.pad(21)), left);
            assertArrayEquals("20".getBytes(), store.get("slot").orElseThrow().value());
            assertInstanceOf(Conflict.class, store.compareAndSet("slot", "5", "stale".getBytes()),
                    "a collected version can never match again");
            assertInstanceOf(Conflict.class, store.putIfAbsent("slot", "again".getBytes()));

            // a tombstone on top is never collected, and re-creating goes on from it
            assertInstanceOf(Deleted.class, store.deleteIfVersion("slot", version));
            store.collectGarbage("slot");
            assertTrue(sequences(prefix, "slot").contains(S3Layout.pad(22)), "the highest tombstone stays");
            var recreated = assertInstanceOf(Written.class, store.putIfAbsent("slot", "new".getBytes()));
            assertEquals("23", recreated.version());
        }
    }
}
