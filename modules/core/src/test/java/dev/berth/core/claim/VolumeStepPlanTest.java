package dev.berth.core.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.slot.SlotRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Step 5's decision, from the slot record alone: reuse, move, create, or retire a never-recorded blank volume. */
class VolumeStepPlanTest {
    private static final String HERE = "us-east-1a";
    private static final String THERE = "us-east-1b";

    private static SlotRecord slot() {
        return SlotRecord.fresh("c1", 3).withHolder(new SlotRecord.Holder("i-1", HERE, 0), 4);
    }

    @Test
    void aVolumeInThisZoneIsReused() {
        var record = slot().withVolume(new SlotRecord.VolumeRef("vol-a", HERE), List.of()).withFormatted(true);
        assertEquals(new VolumeStep.Plan.Reuse("vol-a"), VolumeStep.plan(record, HERE, CrossZonePolicy.NEVER));
    }

    @Test
    void aVolumeInAnotherZoneIsMoved() {
        var there = new SlotRecord.VolumeRef("vol-b", THERE);
        var record = slot().withVolume(there, List.of()).withFormatted(true);
        assertEquals(new VolumeStep.Plan.Move(there), VolumeStep.plan(record, HERE, CrossZonePolicy.SNAPSHOT));
    }

    @Test
    void aSlotWithoutVolumeOrIntentCreatesOneUnderANewIntent() {
        assertEquals(new VolumeStep.Plan.Create(null), VolumeStep.plan(slot(), HERE, CrossZonePolicy.NEVER));
    }

    @Test
    void aPendingIntentInThisZoneIsKeptSoACrashNeverDoublesTheVolume() {
        var intent = new SlotRecord.VolumeIntent(HERE, "tok-1", null, null);
        assertEquals(new VolumeStep.Plan.Create(intent),
                VolumeStep.plan(slot().withVolumeIntent(intent), HERE, CrossZonePolicy.NEVER));
    }

    @Test
    void aNeverRecordedBlankVolumeInAnotherZoneIsRetiredNotMovedWhenVolumesMayMove() {
        var intent = new SlotRecord.VolumeIntent(THERE, "tok-1", null, null);
        assertEquals(new VolumeStep.Plan.RetireNeverRecorded(intent),
                VolumeStep.plan(slot().withVolumeIntent(intent), HERE, CrossZonePolicy.SNAPSHOT));
    }

    @Test
    void aPendingIntentFromASnapshotInAnotherZoneIsMadeRealThereAndMoved() {
        var intent = new SlotRecord.VolumeIntent(THERE, "tok-1", "snap-1", "vol-old");
        assertEquals(new VolumeStep.Plan.MoveUnrecorded(intent),
                VolumeStep.plan(slot().withVolumeIntent(intent), HERE, CrossZonePolicy.SNAPSHOT));
    }

    @Test
    void aPendingIntentOfAFormattedSlotInAnotherZoneIsMovedNotRetired() {
        var intent = new SlotRecord.VolumeIntent(THERE, "tok-1", null, null);
        var record = slot().withVolumeIntent(intent).withFormatted(true);
        assertEquals(new VolumeStep.Plan.MoveUnrecorded(intent), VolumeStep.plan(record, HERE, CrossZonePolicy.SNAPSHOT));
    }

    @Test
    void aPendingIntentInAnotherZoneIsRefusedWhenTheCrossZonePolicyIsNever() {
        var intent = new SlotRecord.VolumeIntent(THERE, "tok-1", null, null);
        assertEquals(new VolumeStep.Plan.RefuseCrossZone(intent),
                VolumeStep.plan(slot().withVolumeIntent(intent), HERE, CrossZonePolicy.NEVER));
    }
}
