package dev.berth.core.claim;

import dev.berth.core.slot.SlotEntry;
import dev.berth.core.slot.SlotRecord;

/**
 * Step 5 of DESIGN.md: the slot's volume, attached here. {@link #plan} decides from the slot record
 * alone whether to reuse, move or create it; {@link VolumeCreation}, {@link VolumeMove},
 * {@link VolumeAttach} and {@link VolumeGrowth} each do one of the parts.
 */
final class VolumeStep {

    /** The slot's volume, attached to this instance; {@code held} is the slot as last written. */
    record Attached(SlotEntry held, String volumeId, String deviceName, int sizeGiB, boolean attachedNow) {
    }

    /** What the slot record says to do with the slot's volume, for an instance in a given zone. */
    sealed interface Plan {
        /** A blank volume being made in another zone was never recorded: retire it, then plan again. */
        record RetireNeverRecorded(SlotRecord.VolumeIntent intent) implements Plan {
        }

        /** The slot's volume is in this zone. */
        record Reuse(String volumeId) implements Plan {
        }

        /** The slot's volume is in another zone: move it through a snapshot. */
        record Move(SlotRecord.VolumeRef from) implements Plan {
        }

        /** A volume was being made in another zone when its holder died: make it real there, record it, move it. */
        record MoveUnrecorded(SlotRecord.VolumeIntent intent) implements Plan {
        }

        /** As {@link MoveUnrecorded}, but the cross-zone policy is never. */
        record RefuseCrossZone(SlotRecord.VolumeIntent intent) implements Plan {
        }

        /** No volume yet: create it here, under the recorded intent or a new one ({@code intent} null). */
        record Create(SlotRecord.VolumeIntent intent) implements Plan {
        }
    }

    private VolumeStep() {
    }

    /** Decides from the record alone; no call. */
    static Plan plan(SlotRecord record, String zone, CrossZonePolicy crossZone) {
        var pending = record.volumeIntent();
        if (record.volume() == null && pending != null && !pending.zone().equals(zone)
                && pending.sourceSnapshotId() == null && !record.formatted() && crossZone != CrossZonePolicy.NEVER) {
            return new Plan.RetireNeverRecorded(pending);
        }
        if (record.volume() != null && record.volume().zone().equals(zone)) {
            return new Plan.Reuse(record.volume().volumeId());
        }
        if (record.volume() != null) {
            return new Plan.Move(record.volume());
        }
        if (pending != null && !pending.zone().equals(zone)) {
            return crossZone == CrossZonePolicy.NEVER ? new Plan.RefuseCrossZone(pending) : new Plan.MoveUnrecorded(pending);
        }
        return new Plan.Create(pending);
    }

    static Attached ensure(ClaimRun run, SlotEntry held, boolean resumed) {
        var me = run.me();
        var settings = run.settings();
        var plan = plan(held.record(), me.zone(), settings.crossZone());
        if (plan instanceof Plan.RetireNeverRecorded retire) {
            held = VolumeCreation.retireNeverRecorded(run, held, retire.intent());
            plan = plan(held.record(), me.zone(), settings.crossZone());
        }
        String volumeId;
        switch (plan) {
            case Plan.RetireNeverRecorded again -> throw new IllegalStateException("slot " + held.slot()
                    + ": a retired volume's intent is still pending after it was retired");
            case Plan.Reuse reuse -> volumeId = reuse.volumeId();
            case Plan.Move move -> {
                held = VolumeMove.move(run, held);
                volumeId = held.record().volume().volumeId();
            }
            case Plan.RefuseCrossZone refuse -> throw new ClaimException(ClaimException.Kind.REFUSED, "slot " + held.slot()
                    + " has a volume being created in zone " + refuse.intent().zone() + " and this instance is in "
                    + me.zone() + "; the cross-zone policy is 'never'");
            case Plan.MoveUnrecorded unrecorded -> {
                // A volume was being created in another zone when its holder died: it may exist there. Make it
                // real (the same client token returns it, or makes it), record it, and move it like any other.
                var intent = unrecorded.intent();
                var there = VolumeCreation.create(run, held.slot(), intent);
                var found = new SlotRecord.VolumeRef(there, intent.zone());
                held = run.updateHeld(held, r -> r.withVolume(found, r.retiredVolumes()));
                held = VolumeMove.move(run, held);
                volumeId = held.record().volume().volumeId();
            }
            case Plan.Create create -> {
                var intent = create.intent();
                if (intent == null) {
                    var token = VolumeClientToken.of(settings.cluster(), held.slot(), me.zone(), held.record().epoch());
                    intent = new SlotRecord.VolumeIntent(me.zone(), token, settings.volume().seedSnapshotId().orElse(null), null);
                    var fresh = intent;
                    held = run.updateHeld(held, r -> r.withVolumeIntent(fresh));
                }
                var made = VolumeCreation.createUsable(run, held, intent);
                held = made.held();
                volumeId = made.volumeId();
                run.log("volume " + volumeId + " for slot " + held.slot() + " in " + me.zone()
                        + (intent.sourceSnapshotId() != null ? " from snapshot " + intent.sourceSnapshotId() : ""));
            }
        }
        var attachment = VolumeAttach.attach(run, held.slot(), volumeId, resumed);
        return new Attached(held, volumeId, attachment.deviceName(), attachment.sizeGiB(), attachment.attachedNow());
    }
}
