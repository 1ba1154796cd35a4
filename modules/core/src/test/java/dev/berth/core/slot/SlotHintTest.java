package dev.berth.core.slot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A hint says what ranking needs and nothing a reader cannot check; a hint that does not parse is no hint. */
class SlotHintTest {

    private static SlotRecord held() {
        return SlotRecord.fresh("lab", 3).withHolder(new SlotRecord.Holder("i-0abc", "us-east-1a", 1_700_000_000_000L), 7)
                .withVolume(new SlotRecord.VolumeRef("vol-1", "us-east-1b"), List.of());
    }

    @Test
    void aHintRoundTripsToTheSummaryOfItsRecord() {
        var entry = new SlotEntry(3, held(), "12");
        var hint = SlotHint.of(held());
        assertEquals("1;7;i-0abc;us-east-1a;1700000000000;us-east-1b", hint);
        assertEquals(Optional.of(entry.summary()), SlotHint.parse(3, "12", hint));
        assertTrue(SlotHint.parse(3, "12", hint).orElseThrow().describes(entry));
    }

    @Test
    void aFreeSlotWithoutAVolumeHasEmptyFields() {
        var fresh = SlotRecord.fresh("lab", 0);
        assertEquals("1;0;;;;", SlotHint.of(fresh));
        var summary = SlotHint.parse(0, "1", "1;0;;;;").orElseThrow();
        assertEquals(null, summary.holder());
        assertTrue(summary.volumeZone().isEmpty());
        assertTrue(summary.describes(new SlotEntry(0, fresh, "1")));
    }

    @Test
    void theCodecDerivesTheSameHintFromTheBytesAndNoneFromBytesThatAreNoRecord() {
        var codec = new SlotCodec();
        assertEquals(SlotHint.of(held()), codec.hint(codec.encode(held())));
        assertTrue(SlotHint.parse(3, "1", codec.hint("not json".getBytes(StandardCharsets.UTF_8))).isEmpty());
    }

    @Test
    void hostileHintsAreNotTrusted() {
        for (var hostile : List.of("", "2;7;;;;", "1;7;;;", "1;-1;;;;", "1;x;;;;", "1;9223372036854775807;;;;",
                "1;1;i-1;;5;", "1;1;i-1;a;;", "1;1;i 1;a;5;", "1;1;;;;zone with spaces", "1;1;i-1;a;5;a;extra",
                "1;1;i-1;a;99999999999999999999;a", "1;1;" + "i".repeat(129) + ";a;5;a")) {
            assertTrue(SlotHint.parse(1, "1", hostile).isEmpty(), "trusted: '" + hostile + "'");
        }
    }

    @Test
    void aHintThatDisagreesWithItsRecordDoesNotDescribeIt() {
        var entry = new SlotEntry(3, held(), "12");
        var lying = SlotHint.parse(3, "12", "1;7;;;;us-east-1b").orElseThrow();   // "free"
        assertTrue(!lying.describes(entry));
    }
}
