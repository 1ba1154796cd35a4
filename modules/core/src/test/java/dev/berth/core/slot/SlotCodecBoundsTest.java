package dev.berth.core.slot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Numbers in a slot record are untrusted: one that would wrap on the next claim is refused as corrupt. */
class SlotCodecBoundsTest {
    private static final String KEY = "clusters/lab/slots/0";

    private static byte[] record(String epoch, String sinceMillis) {
        return ("{\"schema\":1,\"cluster\":\"lab\",\"slot\":0,\"epoch\":" + epoch
                + ",\"holder\":{\"instanceId\":\"pc-1\",\"zone\":\"rack-a\",\"sinceMillis\":" + sinceMillis + "},"
                + "\"retiredVolumes\":[],\"formatted\":false}").getBytes(StandardCharsets.UTF_8);
    }

    private static CorruptSlotRecordException refused(byte[] bytes) {
        return assertThrows(CorruptSlotRecordException.class, () -> new SlotCodec().decode(KEY, 0, "lab", bytes));
    }

    @Test
    void anEpochAtLongMaxValueIsCorruptNotWrappedByTheNextClaim() {
        var e = refused(record(Long.toString(Long.MAX_VALUE), "0"));
        assertEquals(KEY, e.key());
        assertTrue(e.getMessage().contains(KEY) && e.getMessage().contains("epoch") && e.getMessage().contains("fix or delete"),
                e.getMessage());
    }

    @Test
    void theLargestEpochThatCanStillRiseIsAccepted() {
        var record = new SlotCodec().decode(KEY, 0, "lab", record(Long.toString(Long.MAX_VALUE - 1), "0"));
        assertEquals(Long.MAX_VALUE - 1, record.epoch());
        assertEquals(Long.MAX_VALUE, Math.addExact(record.epoch(), 1));
    }

    @Test
    void aNegativeEpochIsCorrupt() {
        assertTrue(refused(record("-1", "0")).getMessage().contains("epoch"));
    }

    @Test
    void aHolderSinceANegativeTimeIsCorrupt() {
        var e = refused(record("4", Long.toString(Long.MIN_VALUE)));
        assertTrue(e.getMessage().contains("holder.sinceMillis"), e.getMessage());
    }
}
