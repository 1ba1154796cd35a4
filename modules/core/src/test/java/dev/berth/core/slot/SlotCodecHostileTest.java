package dev.berth.core.slot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A slot record is read from a store anyone with access may write: every hostile one is refused, saying why. */
class SlotCodecHostileTest {
    private static final String KEY = "clusters/lab/slots/0";

    private static String refused(String json) {
        var e = assertThrows(CorruptSlotRecordException.class,
                () -> new SlotCodec().decode(KEY, 0, "lab", json.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains(KEY), "names the key: " + e.getMessage());
        return e.getMessage();
    }

    private static String base(String extra) {
        return "{\"schema\":1,\"cluster\":\"lab\",\"slot\":0,\"epoch\":3,\"retiredVolumes\":[],\"formatted\":false" + extra + "}";
    }

    @Test
    void aGoodRecordRoundTrips() {
        var codec = new SlotCodec();
        var record = codec.decode(KEY, 0, "lab", base(",\"volume\":{\"volumeId\":\"vol-1\",\"zone\":\"a\"}")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(3, record.epoch());
        assertEquals(record, codec.decode(KEY, 0, "lab", codec.encode(record)));
    }

    @Test
    void notJsonOrJsonNullIsRefused() {
        assertTrue(refused("not json").contains("not valid JSON"));
        refused("null");
        refused("");
    }

    @Test
    void anotherSchemaClusterOrSlotIsRefused() {
        assertTrue(refused(base("").replace("\"schema\":1", "\"schema\":2")).contains("schema"));
        assertTrue(refused(base("").replace("\"cluster\":\"lab\"", "\"cluster\":\"other\"")).contains("other"));
        assertTrue(refused(base("").replace("\"slot\":0", "\"slot\":1")).contains("slot 1"));
    }

    @Test
    void oversizedOrMalformedFieldsAreRefused() {
        assertTrue(refused(base(",\"volume\":{\"volumeId\":\"" + "v".repeat(200) + "\",\"zone\":\"a\"}")).contains("too long"));
        assertTrue(refused(base(",\"volume\":{\"volumeId\":\"vol 1; rm -rf /\",\"zone\":\"a\"}"))
                .contains("not a valid identifier"));
        assertTrue(refused(base(",\"holder\":{\"zone\":\"a\",\"sinceMillis\":1}")).contains("holder.instanceId"));
        assertTrue(refused(base(",\"identity\":{\"kind\":\"x\",\"publicName\":\"n\",\"fingerprint\":\"NOT-HEX\"}"))
                .contains("identity"));
        var many = new StringBuilder();
        for (int i = 0; i < 65; i++) {
            many.append(i == 0 ? "" : ",").append("{\"volumeId\":\"vol-").append(i).append("\",\"zone\":\"a\"}");
        }
        assertTrue(refused(base("").replace("\"retiredVolumes\":[]", "\"retiredVolumes\":[" + many + "]"))
                .contains("retired volumes"));
        assertTrue(refused(base(",\"identityBackup\":\"" + "A".repeat(300_000) + "\"")).contains("bytes"),
                "a huge record is refused before it is parsed");
    }
}
