package dev.berth.core.claim;

import dev.berth.core.slot.SlotEntry;
import dev.berth.core.slot.SlotRecord;
import dev.berth.spi.CloudException;
import dev.berth.spi.Snapshot;
import dev.berth.spi.Volume;
import dev.berth.spi.VolumeQuery;
import dev.berth.spi.VolumeRequest;
import dev.berth.spi.VolumeState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Step 5, create: makes the slot's volume under its recorded intent (a client token, so a crash never
 * doubles it) and waits until it is usable; a volume that went to error gets a new intent.
 */
final class VolumeCreation {
    static final String TAG_CLUSTER = "berth:cluster";
    static final String TAG_SLOT = "berth:slot";

    /** How many creation intents one claim tries when each volume it makes goes to error. */
    static final int MAX_CREATION_INTENTS = 3;

    /** A volume made for the slot, and the slot as last written (its intent may have been renewed). */
    record Made(SlotEntry held, String volumeId) {
    }

    private VolumeCreation() {
    }

    /**
     * Creates (or finds again, by its client token) the volume of {@code intent}; does not wait for it.
     * A token the cloud refuses for other parameters (volume.sizeGiB changed while the intent was
     * pending) means the volume exists: it is found by its tags and used.
     */
    static String create(ClaimRun run, int slot, SlotRecord.VolumeIntent intent) {
        var settings = run.settings();
        var context = run.context();
        var v = settings.volume();
        var tags = new LinkedHashMap<String, String>();
        tags.put(TAG_CLUSTER, settings.cluster());
        tags.put(TAG_SLOT, Integer.toString(slot));
        tags.put("Name", settings.cluster() + "-slot-" + slot);
        int sizeGiB = v.sizeGiB();
        if (intent.sourceSnapshotId() != null) { // EC2 refuses a volume smaller than its snapshot
            var snapshotId = intent.sourceSnapshotId();
            var snapshot = run.calls().run("describe snapshot " + snapshotId, () -> context.cloud().describeSnapshot(snapshotId));
            sizeGiB = Math.max(sizeGiB, snapshot.map(Snapshot::sizeGiB).orElse(0));
        }
        var request = new VolumeRequest(intent.zone(), sizeGiB, v.type(), v.iops(), v.throughputMiBps(),
                v.encrypted(), v.kmsKeyId(), Optional.ofNullable(intent.sourceSnapshotId()), tags, intent.clientToken());
        try {
            return run.calls().run("create the volume of slot " + slot, () -> context.cloud().createVolume(request)).volumeId();
        } catch (CloudException e) {
            if (e.reason() != CloudException.Reason.TOKEN_MISMATCH) {
                throw e;
            }
            // The intent's zone and snapshot are recorded; only the configured size can differ (volume.sizeGiB changed
            // while the intent was pending). The volume made under the token is the slot's: use it; step 5 grows it.
            // The cloud says a volume exists under the token; describe calls may not show it yet.
            var made = BoundedWait.forThe("the volume made for slot " + slot + " under client token " + intent.clientToken()
                            + " to be visible in " + intent.zone(), context.ticker(), context.log())
                    .bound(BoundedWait.Bound.of("waits.attachSeconds", settings.waits().attachMillis()))
                    .backoff(1_000, 10_000)
                    .hint("find the volume tagged berth:slot=" + slot + " in " + intent.zone() + " in the console; if"
                            + " there are several, retire the extra ones (tag berth:retired) and re-run")
                    .until(() -> madeUnder(run, slot, intent).<BoundedWait.Poll<String>>map(BoundedWait.Poll::done)
                            .orElseGet(() -> BoundedWait.Poll.pending("not visible yet")));
            run.log("volume " + made + " was made for slot " + slot + " under client token " + intent.clientToken()
                    + " with other parameters (volume.sizeGiB changed?): using it");
            return made;
        }
    }

    /**
     * The volume a pending intent already made, when the cloud refuses its token for other parameters: the
     * one volume of the slot in the intent's zone that is not retired (a slot has at most one live volume per zone).
     */
    private static Optional<String> madeUnder(ClaimRun run, int slot, SlotRecord.VolumeIntent intent) {
        var found = run.calls().run("find the volume of slot " + slot + " in " + intent.zone(),
                () -> run.context().cloud().findVolumes(new VolumeQuery(Map.of(TAG_CLUSTER, run.settings().cluster(),
                        TAG_SLOT, Integer.toString(slot)), Optional.of(intent.zone()))));
        var candidates = found.stream()
                .filter(v -> !v.tags().containsKey("berth:retired"))
                .filter(v -> v.tags().getOrDefault("berth:client-token", intent.clientToken()).equals(intent.clientToken()))
                .filter(v -> v.state() != VolumeState.ERROR && v.state() != VolumeState.DELETING
                        && v.state() != VolumeState.DELETED)
                .map(Volume::volumeId)
                .toList();
        return candidates.size() == 1 ? Optional.of(candidates.getFirst()) : Optional.empty();
    }

    /**
     * Creates the slot's volume under its intent and waits until it is usable. A volume that can never
     * serve (it went to error or was deleted) would come back for ever under the same client token,
     * and a token the cloud refuses (used with other parameters: the configuration changed while the
     * intent was pending) never works: in both cases a new intent, with a token derived from the old
     * one, is recorded by compare-and-set and the volume made again, at most {@value #MAX_CREATION_INTENTS} times.
     */
    static Made createUsable(ClaimRun run, SlotEntry held, SlotRecord.VolumeIntent intent) {
        var me = run.me();
        for (int attempt = 1; ; attempt++) {
            String why;
            String dead = null;
            try {
                var volumeId = create(run, held.slot(), intent);
                var state = awaitAvailable(run, held.slot(), volumeId);
                if (state.isEmpty()) {
                    return new Made(held, volumeId);
                }
                why = "volume " + volumeId + " went to state " + state.get().name().toLowerCase();
                dead = volumeId;
            } catch (CloudException e) {
                if (e.reason() != CloudException.Reason.TOKEN_MISMATCH) {
                    throw e;
                }
                why = "the cloud refused client token " + intent.clientToken() + " (" + e.getMessage() + ")";
            }
            if (attempt >= MAX_CREATION_INTENTS) {
                throw new ClaimException(ClaimException.Kind.REFUSED, "the volume of slot " + held.slot() + " could not be"
                        + " made " + attempt + " times (last: " + why + "): check the KMS key, the snapshot and the"
                        + " volume quota in " + me.zone() + ", then re-run");
            }
            var next = new SlotRecord.VolumeIntent(intent.zone(), VolumeClientToken.next(intent.clientToken()),
                    intent.sourceSnapshotId(), intent.sourceVolumeId());
            run.log(why + ": slot " + held.slot() + " gets a new creation intent (token " + next.clientToken() + ")");
            var retired = new ArrayList<>(held.record().retiredVolumes());
            if (dead != null) {
                var deadId = dead;
                retired.add(new SlotRecord.VolumeRef(deadId, intent.zone()));
                try {   // for the operator and for gc; a volume in error may refuse even this
                    run.calls().run("tag the dead volume " + deadId, () -> run.context().cloud().tag(deadId,
                            Map.of("berth:retired", "went to error; replaced under a new creation intent")));
                } catch (CloudException e) {
                    run.log("could not tag the dead volume " + deadId + " as retired: " + e.getMessage());
                }
            }
            held = run.updateHeld(held, r -> r.withVolume(r.volume(), retired).withVolumeIntent(next));
            intent = next;
        }
    }

    /**
     * Polls a volume this run created until the cloud shows it (describe calls lag) and it is
     * available or already attached here: no fixed settle time, and a directory volume is ready at once.
     * Returns the state of a volume that can never serve (error, deleting, deleted), else empty.
     */
    private static Optional<VolumeState> awaitAvailable(ClaimRun run, int slot, String volumeId) {
        var context = run.context();
        return BoundedWait.forThe("new volume " + volumeId + " of slot " + slot + " to become available", context.ticker(), context.log())
                .bound(BoundedWait.Bound.of("waits.attachSeconds", run.settings().waits().attachMillis()))
                .backoff(1_000, 10_000)
                .hint("check the volume in the console (stuck creating? out of capacity in " + run.me().zone()
                        + "?) and re-run; the same volume is reused")
                .until(() -> {
                    var seen = run.calls().run("describe volume " + volumeId, () -> context.cloud().describeVolume(volumeId));
                    if (seen.isEmpty()) {
                        return BoundedWait.Poll.pending("not visible yet");
                    }
                    var v = seen.get();
                    return switch (v.state()) {
                        case AVAILABLE, IN_USE -> BoundedWait.Poll.done(Optional.<VolumeState>empty());
                        case CREATING -> BoundedWait.Poll.pending("creating");
                        case ERROR, DELETING, DELETED -> BoundedWait.Poll.done(Optional.of(v.state()));
                    };
                });
    }

    /**
     * A blank volume being created in another zone when its holder died was never recorded, so
     * never used: moving it would make a volume from a blank snapshot, which berth never formats.
     * It is tagged and kept as retired, and the slot starts over in this zone.
     */
    static SlotEntry retireNeverRecorded(ClaimRun run, SlotEntry held, SlotRecord.VolumeIntent intent) {
        var me = run.me();
        var there = create(run, held.slot(), intent);
        run.log("slot " + held.slot() + " has a never-recorded blank volume " + there + " in zone " + intent.zone()
                + ": retiring it and creating the slot's volume in " + me.zone());
        run.calls().run("tag the never-used volume " + there, () -> run.context().cloud().tag(there,
                Map.of("berth:retired", "never recorded; replaced in " + me.zone())));
        var retired = new ArrayList<>(held.record().retiredVolumes());
        retired.add(new SlotRecord.VolumeRef(there, intent.zone()));
        return run.updateHeld(held, r -> r.withVolume(null, retired));
    }
}
