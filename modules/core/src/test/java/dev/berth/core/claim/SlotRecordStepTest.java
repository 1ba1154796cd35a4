package dev.berth.core.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.slot.SlotRecord;
import dev.berth.spi.NodeIdentity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Step 8's record: volume, formatted, identity and backup; a resumed claim that changes nothing writes nothing. */
class SlotRecordStepTest {
    private static final SlotRecord.VolumeRef VOLUME = new SlotRecord.VolumeRef("vol-a", "us-east-1a");
    private static final NodeIdentity NODE = new NodeIdentity("x509", "node-3", "sha256:ab");

    private static SlotRecord held() {
        return SlotRecord.fresh("c1", 3).withHolder(new SlotRecord.Holder("i-1", "us-east-1a", 0), 2)
                .withVolumeIntent(new SlotRecord.VolumeIntent("us-east-1a", "tok", null, null));
    }

    @Test
    void aFirstClaimRecordsTheVolumeFormattedTheIdentityAndItsBackupAndClearsTheIntent() {
        var written = SlotRecordStep.apply(held(), VOLUME, new IdentityStep.Outcome.Ready(NODE, "sealed"));
        assertEquals(VOLUME, written.volume());
        assertNull(written.volumeIntent());
        assertTrue(written.formatted());
        assertEquals(new SlotRecord.IdentityRef("x509", "node-3", "sha256:ab"), written.identity());
        assertEquals("sealed", written.identityBackup());
        assertTrue(SlotRecordStep.unchanged(written, VOLUME, new IdentityStep.Outcome.Ready(NODE, "sealed")),
                "a re-run with the same volume and identity writes nothing");
    }

    @Test
    void withoutAnIdentityProviderTheRecordedIdentityIsKept() {
        var before = held().withVolume(VOLUME, List.of()).withFormatted(true)
                .withIdentity(new SlotRecord.IdentityRef("x509", "node-3", "sha256:ab"), "sealed");
        assertFalse(SlotRecordStep.unchanged(before, VOLUME, new IdentityStep.Outcome.None()),
                "the record names an identity the run did not: written again, keeping it");
        var written = SlotRecordStep.apply(before, VOLUME, new IdentityStep.Outcome.None());
        assertEquals(before.identity(), written.identity());
        assertEquals("sealed", written.identityBackup());
    }

    @Test
    void aMovedVolumeIsWrittenAndTheRetiredListKept() {
        var old = new SlotRecord.VolumeRef("vol-old", "us-east-1b");
        var before = held().withVolume(old, List.of(old)).withFormatted(true);
        assertFalse(SlotRecordStep.unchanged(before, VOLUME, new IdentityStep.Outcome.None()));
        var written = SlotRecordStep.apply(before, VOLUME, new IdentityStep.Outcome.None());
        assertEquals(VOLUME, written.volume());
        assertEquals(List.of(old), written.retiredVolumes());
    }
}
