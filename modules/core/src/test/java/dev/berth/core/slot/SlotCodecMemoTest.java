package dev.berth.core.slot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Only a codec made to remember does; its memory is its own and never changes an answer. */
class SlotCodecMemoTest {
    private static final String KEY = "clusters/lab/slots/0";
    private static final byte[] RECORD = ("{\"schema\":1,\"cluster\":\"lab\",\"slot\":0,\"epoch\":3,"
            + "\"holder\":{\"instanceId\":\"i-1\",\"zone\":\"a\",\"sinceMillis\":5},\"retiredVolumes\":[],\"formatted\":true}")
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void aPlainCodecSharesNoMemoryWithAnyOther() {
        // with a static cache the second codec would hand back the first one's object
        var first = new SlotCodec().decode(KEY, 0, "lab", RECORD);
        var second = new SlotCodec().decode(KEY, 0, "lab", RECORD);
        assertNotSame(first, second);
        assertEquals(first, second);
    }

    @Test
    void aMemoizingCodecRemembersForItselfOnly() {
        var codec = SlotCodec.memoizing(16);
        var first = codec.decode(KEY, 0, "lab", RECORD);
        assertSame(first, codec.decode(KEY, 0, "lab", RECORD.clone()));
        assertNotSame(first, SlotCodec.memoizing(16).decode(KEY, 0, "lab", RECORD));
        assertEquals(new SlotCodec().decode(KEY, 0, "lab", RECORD), first);
    }

    @Test
    void aMemoizingCodecStillChecksThePlace() {
        var codec = SlotCodec.memoizing(16);
        codec.decode(KEY, 0, "lab", RECORD);
        assertThrows(CorruptSlotRecordException.class, () -> codec.decode("clusters/lab/slots/1", 1, "lab", RECORD));
        assertThrows(CorruptSlotRecordException.class, () -> codec.decode(KEY, 0, "other", RECORD));
    }

    @Test
    void aFullMemoForgetsAndStillAnswers() {
        var codec = SlotCodec.memoizing(1);
        var other = new String(RECORD, StandardCharsets.UTF_8).replace("\"epoch\":3", "\"epoch\":4").getBytes(StandardCharsets.UTF_8);
        var first = codec.decode(KEY, 0, "lab", RECORD);
        assertEquals(4, codec.decode(KEY, 0, "lab", other).epoch());
        assertEquals(first, codec.decode(KEY, 0, "lab", RECORD));
        assertThrows(IllegalArgumentException.class, () -> SlotCodec.memoizing(0));
    }
}
