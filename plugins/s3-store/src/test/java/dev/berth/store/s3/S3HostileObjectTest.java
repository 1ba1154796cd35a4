package dev.berth.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.StoreException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** Objects that berth did not write, where the layout expects its own. Run on moto. */
class S3HostileObjectTest {
    private final S3TestServers server = S3TestServers.MOTO;

    @Test
    void aSequenceObjectWithoutBerthMetadataIsRefusedNamingTheKeyAndNeverOverwritten() {
        String prefix = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
        try (var store = server.open(server.config(), prefix); var s3 = server.rawClient()) {
            String object = prefix + "/clusters/c/slots/0/v/" + S3Layout.pad(1);
            s3.putObject(b -> b.bucket(S3TestServers.BUCKET).key(object), RequestBody.fromString("{\"not\":\"berth\"}"));

            var get = assertThrows(StoreException.class, () -> store.get("clusters/c/slots/0"));
            assertTrue(get.getMessage().contains("'clusters/c/slots/0'") && get.getMessage().contains(object), get.getMessage());
            assertTrue(!get.retryable(), "a hostile record is not a passing failure");
            assertThrows(StoreException.class, () -> store.compareAndSet("clusters/c/slots/0", "1", "x".getBytes()));
            assertThrows(StoreException.class, () -> store.putIfAbsent("clusters/c/slots/0", "x".getBytes()));
            assertEquals("{\"not\":\"berth\"}", s3.getObjectAsBytes(b -> b.bucket(S3TestServers.BUCKET).key(object)).asUtf8String(),
                    "the foreign object is left as it was");
        }
    }

    @Test
    void anObjectWithAnUnknownRecordKindIsRefused() {
        String prefix = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
        try (var store = server.open(server.config(), prefix); var s3 = server.rawClient()) {
            String object = prefix + "/slots/1/v/" + S3Layout.pad(1);
            s3.putObject(b -> b.bucket(S3TestServers.BUCKET).key(object).metadata(Map.of(S3ClaimStore.RECORD_METADATA, "v2-record")),
                    RequestBody.fromString("x"));
            var e = assertThrows(StoreException.class, () -> store.get("slots/1"));
            assertTrue(e.getMessage().contains("'v2-record'") && e.getMessage().contains("'slots/1'"), e.getMessage());
        }
    }

    @Test
    void aStrayObjectUnderThePrefixMakesListFailNamingIt() {
        String prefix = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
        try (var store = server.open(server.config(), prefix); var s3 = server.rawClient()) {
            store.putIfAbsent("clusters/c/slots/0", "ok".getBytes());
            s3.putObject(b -> b.bucket(S3TestServers.BUCKET).key(prefix + "/clusters/c/notes.txt"), RequestBody.fromString("hi"));
            var e = assertThrows(StoreException.class, () -> store.list("clusters/c/"));
            assertTrue(e.getMessage().contains(prefix + "/clusters/c/notes.txt"), e.getMessage());
            assertArrayEquals("ok".getBytes(), store.get("clusters/c/slots/0").orElseThrow().value(),
                    "a key's own reads are not disturbed by a stray neighbour");
        }
    }
}
