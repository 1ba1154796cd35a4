package dev.berth.core.claim;

import dev.berth.core.slot.SlotEntry;
import dev.berth.core.slot.SlotRecord;
import dev.berth.spi.CloudException;
import dev.berth.spi.SnapshotState;
import java.util.ArrayList;
import java.util.Map;

/**
 * Step 5, move: the slot's volume is in another zone. It is snapshotted (or, with
 * {@code crossZone: latest-snapshot} and its zone unreachable, its young periodic snapshot is used),
 * a volume made from the snapshot here and recorded; the old volume is tagged and retired, never deleted.
 */
final class VolumeMove {
    private static final String TAG_EPOCH = "berth:epoch";

    private VolumeMove() {
    }

    /** Returns the slot as written with its moved volume. */
    static SlotEntry move(ClaimRun run, SlotEntry held) {
        var me = run.me();
        var settings = run.settings();
        var context = run.context();
        var source = held.record().volume();
        var intent = held.record().volumeIntent();
        if (intent == null || !intent.zone().equals(me.zone()) || intent.sourceSnapshotId() == null) {
            run.log("moving slot " + held.slot() + " from zone " + source.zone() + " to " + me.zone() + " through a snapshot");
            // the epoch too: the provider reuses a snapshot with these tags (one a crash left unrecorded), never an older move's
            var snapshotTags = Map.of(VolumeCreation.TAG_CLUSTER, settings.cluster(),
                    VolumeCreation.TAG_SLOT, Integer.toString(held.slot()), TAG_EPOCH, Long.toString(held.record().epoch()));
            // the live volume's snapshot, or (latest-snapshot, its zone unreachable) the slot's young periodic one
            var snapshot = new LatestSnapshotMove(settings, context, run.calls()).choose(me, held, snapshotTags);
            var token = VolumeClientToken.of(settings.cluster(), held.slot(), me.zone(), held.record().epoch());
            var next = new SlotRecord.VolumeIntent(me.zone(), token, snapshot.snapshotId(), source.volumeId());
            held = run.updateHeld(held, r -> r.withVolumeIntent(next));
            intent = next;
        }
        var snapshotId = intent.sourceSnapshotId();
        var slot = held.slot();
        BoundedWait.forThe("snapshot " + snapshotId + " of volume " + source.volumeId() + " (slot " + slot + ") to complete",
                        context.ticker(), context.log())
                .bound(BoundedWait.Bound.of("waits.snapshotSeconds", settings.waits().snapshotMillis()))
                .backoff(settings.waits().pollMillis(), 30_000)
                .hint("re-run to keep waiting (the same snapshot is reused), or raise waits.snapshotSeconds")
                .until(() -> {
                    var snap = run.calls().run("describe snapshot " + snapshotId, () -> context.cloud().describeSnapshot(snapshotId));
                    if (snap.isPresent() && snap.get().state() == SnapshotState.COMPLETED) {
                        return BoundedWait.Poll.done(snap.get());
                    }
                    if (snap.isPresent() && snap.get().state() == SnapshotState.ERROR) {
                        throw new ClaimException(ClaimException.Kind.REFUSED, "snapshot " + snapshotId + " of volume "
                                + source.volumeId() + " (slot " + slot + ") failed: check the volume in zone "
                                + source.zone() + "; the slot keeps its old volume");
                    }
                    return BoundedWait.Poll.pending(snap.map(x -> x.state().name().toLowerCase()).orElse("not visible yet"));
                });
        var volumeId = VolumeCreation.create(run, held.slot(), intent);
        try {
            run.calls().run("tag the old volume " + source.volumeId(), () -> context.cloud().tag(source.volumeId(),
                    Map.of("berth:retired", "moved to " + me.zone() + " as " + volumeId + " from " + snapshotId)));
        } catch (CloudException e) {
            // its zone may be down: the slot record lists it as retired, which is what keeps it from ever being used again
            run.log("could not tag the old volume " + source.volumeId() + " of slot " + slot + " as retired (" + e.getMessage()
                    + "); the slot record lists it as retired and berth never attaches it as the slot's volume again");
        }
        var retired = new ArrayList<>(held.record().retiredVolumes());
        retired.add(source);
        var moved = new SlotRecord.VolumeRef(volumeId, me.zone());
        return run.updateHeld(held, r -> r.withVolume(moved, retired));
    }
}
