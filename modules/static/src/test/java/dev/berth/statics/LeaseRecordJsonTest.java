package dev.berth.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A lease is read strictly: what berth wrote reads back, and anything it would not have written is refused. */
class LeaseRecordJsonTest {
    private static final String KEY = "clusters/lab/leases/pc-1";

    private static LeaseRecord parse(String json) {
        return LeaseRecord.parse(KEY, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aWrittenLeaseReadsBack() {
        var lease = new LeaseRecord("pc-1", "rack-a", 1_700_000_000_000L, "0f3a9c");
        assertEquals(lease, LeaseRecord.parse(KEY, lease.toBytes()));
        assertEquals("{\"instanceId\":\"pc-1\",\"zone\":\"rack-a\",\"expiresAtMillis\":1700000000000,\"session\":\"0f3a9c\"}",
                new String(lease.toBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void aFieldANewerBerthAddsIsSkippedWhateverItHolds() {
        var lease = parse("{\"instanceId\":\"pc-1\",\"zone\":\"rack-a\",\"expiresAtMillis\":5,\"session\":\"s1\","
                + "\"owner\":{\"pid\":42,\"tags\":[\"a\",null,true]}}");
        assertEquals(new LeaseRecord("pc-1", "rack-a", 5, "s1"), lease);
    }

    @Test
    void escapedCharactersAreJson() {
        assertEquals("s1", parse("{\"instanceId\":\"pc-\\u0031\",\"zone\":\"rack-a\",\"expiresAtMillis\":5,\"session\":\"s\\u0031\"}")
                .session());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"instanceId\":\"pc-1\",\"instanceId\":\"pc-1\",\"zone\":\"rack-a\",\"expiresAtMillis\":5,\"session\":\"s1\"}",
        "{\"instanceId\":\"pc-1\",\"zone\":\"rack-a\",\"expiresAtMillis\":5,\"session\":\"s1\",\"extra\":1,\"extra\":2}",
    })
    void aDuplicateFieldIsRefused(String json) {
        var e = assertThrows(LeaseRecord.CorruptLeaseException.class, () -> parse(json));
        assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
        assertTrue(e.getMessage().contains(KEY), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "[]",
        "{\"instanceId\":\"pc-1\",\"zone\":\"rack-a\",\"expiresAtMillis\":5,\"session\":\"s1\"} {}",
        "{\"instanceId\":\"pc-1\",\"zone\":\"rack-a\",\"expiresAtMillis\":5,\"session\":\"s1\"",
        "{\"instanceId\":\"pc-1\",\"zone\":\"rack-a\",\"expiresAtMillis\":\"5\",\"session\":\"s1\"}",
        "{\"instanceId\":\"pc-1\",\"zone\":\"rack-a\",\"expiresAtMillis\":5.5,\"session\":\"s1\"}",
        "{\"instanceId\":\"pc-1\",\"zone\":\"rack-a\",\"expiresAtMillis\":-1,\"session\":\"s1\"}",
        "{\"instanceId\":\"pc-1\",\"zone\":\"rack-a\",\"expiresAtMillis\":99999999999999999999,\"session\":\"s1\"}",
        "{\"instanceId\":\"pc-1\",\"zone\":null,\"expiresAtMillis\":5,\"session\":\"s1\"}",
        "{\"instanceId\":\"pc-1\",\"zone\":\"rack-a\",\"expiresAtMillis\":5,\"session\":7}",
        "{\"instanceId\":\"pc-2\",\"zone\":\"rack-a\",\"expiresAtMillis\":5,\"session\":\"s1\"}",
        "{\"instanceId\":\"pc-1\",\"zone\":\"rack-a\",\"expiresAtMillis\":5}",
        "{\"instanceId\":\"pc-1\",\"zone\":\"rack a\",\"expiresAtMillis\":5,\"session\":\"s1\"}",
    })
    void anythingElseIsRefusedNamingTheKey(String json) {
        var e = assertThrows(LeaseRecord.CorruptLeaseException.class, () -> parse(json));
        assertTrue(e.getMessage().startsWith("lease record '" + KEY + "' is not a berth lease ("), e.getMessage());
    }
}
