package dev.berth.core.slot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Exactly one key names each slot: a key that only looks like a slot's (hostile or mistyped) names none. */
class SlotKeysTest {
    private final SlotKeys keys = new SlotKeys("lab");

    @Test
    void slotKeysRoundTrip() {
        for (int n : new int[]{0, 1, 9, 10, 123, 99_999}) {
            assertEquals(OptionalInt.of(n), keys.slotOf(keys.slot(n)));
        }
    }

    @Test
    void keysThatOnlyLookLikeASlotsNameNone() {
        // "\u0663" is ARABIC-INDIC DIGIT THREE: Character.isDigit and Integer.parseInt take it for 3
        for (var key : List.of("clusters/lab/slots/", "clusters/lab/slots/03", "clusters/lab/slots/\u0663",
                "clusters/lab/slots/1\u0663", "clusters/lab/slots/+3", "clusters/lab/slots/-3", "clusters/lab/slots/3 ",
                "clusters/lab/slots/100000", "clusters/lab/slots/1234567", "clusters/lab/slots/3/x", "clusters/labs/slots/3",
                "clusters/lab/slot/3")) {
            assertTrue(keys.slotOf(key).isEmpty(), "'" + key + "' must name no slot, got " + keys.slotOf(key));
        }
    }
}
