package dev.berth.core.claim;

import dev.berth.core.slot.SlotEntry;
import dev.berth.core.slot.SlotRecord;
import java.util.Objects;

/**
 * Step 8 of DESIGN.md, first half: the slot record names the volume in this zone, says it is
 * formatted, and holds the identity and its backup. Written by compare-and-set, and only when
 * something changed (a resumed claim writes nothing).
 */
final class SlotRecordStep {

    private SlotRecordStep() {
    }

    /** Whether {@code current} already says all a claim would write. */
    static boolean unchanged(SlotRecord current, SlotRecord.VolumeRef volume, IdentityStep.Outcome identity) {
        return volume.equals(current.volume()) && current.volumeIntent() == null && current.formatted()
                && Objects.equals(ref(identity), current.identity()) && Objects.equals(backup(identity), current.identityBackup());
    }

    /** {@code current} with the volume, formatted, and the identity (a missing identity or backup keeps the record's). */
    static SlotRecord apply(SlotRecord current, SlotRecord.VolumeRef volume, IdentityStep.Outcome identity) {
        var ref = ref(identity);
        var backup = backup(identity);
        return current.withVolume(volume, current.retiredVolumes()).withFormatted(true)
                .withIdentity(ref != null ? ref : current.identity(), backup != null ? backup : current.identityBackup());
    }

    static SlotEntry record(ClaimRun run, SlotEntry held, String volumeId, IdentityStep.Outcome identity) {
        var volume = new SlotRecord.VolumeRef(volumeId, run.me().zone());
        if (unchanged(held.record(), volume, identity)) {
            return held;
        }
        return run.updateHeld(held, rec -> apply(rec, volume, identity));
    }

    private static SlotRecord.IdentityRef ref(IdentityStep.Outcome identity) {
        return identity instanceof IdentityStep.Outcome.Ready ready
                ? new SlotRecord.IdentityRef(ready.identity().kind(), ready.identity().publicName(), ready.identity().fingerprint())
                : null;
    }

    private static String backup(IdentityStep.Outcome identity) {
        return identity instanceof IdentityStep.Outcome.Ready ready ? ready.backup() : null;
    }
}
