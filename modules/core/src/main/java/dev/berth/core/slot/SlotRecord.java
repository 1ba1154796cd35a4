package dev.berth.core.slot;

import io.avaje.jsonb.Json;
import java.util.List;
import java.util.Objects;

/**
 * One slot of a cluster, as kept at {@code clusters/<cluster>/slots/<slot>} in the claim
 * store. {@code epoch} is the fencing token: it rises with every claim, and every write by
 * a holder is a compare-and-set that fails once someone else has claimed the slot.
 *
 * @param schema        the record format, {@link #SCHEMA}
 * @param holder        who holds the slot, or null when it is free
 * @param volume        the slot's data volume (the one with the newest data), or null
 * @param volumeIntent  a volume being created for the slot (its client token), or null
 * @param retiredVolumes volumes left behind by a cross-zone move, tagged for cleanup
 * @param formatted     whether the slot's volume was ever given a filesystem by berth
 * @param identity      the public name and fingerprint of the slot's identity, or null
 * @param identityBackup the encrypted identity backup (base64), or null
 * @param latestSnapshot the newest completed periodic snapshot of the slot's volume ({@code berth snapshot}), or null
 */
@Json
public record SlotRecord(
        int schema,
        String cluster,
        int slot,
        long epoch,
        Holder holder,
        VolumeRef volume,
        VolumeIntent volumeIntent,
        List<VolumeRef> retiredVolumes,
        boolean formatted,
        IdentityRef identity,
        String identityBackup,
        SnapshotRef latestSnapshot) {

    public static final int SCHEMA = 1;

    public SlotRecord {
        Objects.requireNonNull(cluster, "cluster");
        retiredVolumes = retiredVolumes == null ? List.of() : List.copyOf(retiredVolumes);
    }

    /** A record without a periodic snapshot (the shape before {@code berth snapshot} existed). */
    public SlotRecord(int schema, String cluster, int slot, long epoch, Holder holder, VolumeRef volume,
                      VolumeIntent volumeIntent, List<VolumeRef> retiredVolumes, boolean formatted, IdentityRef identity,
                      String identityBackup) {
        this(schema, cluster, slot, epoch, holder, volume, volumeIntent, retiredVolumes, formatted, identity, identityBackup, null);
    }

    /** Whether this volume was left behind by a move: it is never the slot's volume again. */
    public boolean retired(String volumeId) {
        return retiredVolumes.stream().anyMatch(v -> v.volumeId().equals(volumeId));
    }

    /** A new, unclaimed slot. */
    public static SlotRecord fresh(String cluster, int slot) {
        return new SlotRecord(SCHEMA, cluster, slot, 0, null, null, null, List.of(), false, null, null);
    }

    public boolean heldBy(String instanceId) {
        return holder != null && holder.instanceId().equals(instanceId);
    }

    public SlotRecord withHolder(Holder newHolder, long newEpoch) {
        return new SlotRecord(schema, cluster, slot, newEpoch, newHolder, volume, volumeIntent, retiredVolumes, formatted, identity, identityBackup, latestSnapshot);
    }

    public SlotRecord withVolumeIntent(VolumeIntent intent) {
        return new SlotRecord(schema, cluster, slot, epoch, holder, volume, intent, retiredVolumes, formatted, identity, identityBackup, latestSnapshot);
    }

    public SlotRecord withVolume(VolumeRef newVolume, List<VolumeRef> retired) {
        return new SlotRecord(schema, cluster, slot, epoch, holder, newVolume, null, retired, formatted, identity, identityBackup, latestSnapshot);
    }

    public SlotRecord withFormatted(boolean isFormatted) {
        return new SlotRecord(schema, cluster, slot, epoch, holder, volume, volumeIntent, retiredVolumes, isFormatted, identity, identityBackup, latestSnapshot);
    }

    public SlotRecord withIdentity(IdentityRef ref, String backup) {
        return new SlotRecord(schema, cluster, slot, epoch, holder, volume, volumeIntent, retiredVolumes, formatted, ref, backup, latestSnapshot);
    }

    public SlotRecord withLatestSnapshot(SnapshotRef snapshot) {
        return new SlotRecord(schema, cluster, slot, epoch, holder, volume, volumeIntent, retiredVolumes, formatted, identity, identityBackup, snapshot);
    }

    /** Who holds a slot: the instance, its zone, and since when (epoch milliseconds). */
    @Json
    public record Holder(String instanceId, String zone, long sinceMillis) {
    }

    /** A volume and its zone. */
    @Json
    public record VolumeRef(String volumeId, String zone) {
    }

    /**
     * A volume about to be created: recorded before CreateVolume so that a re-run, on this
     * or another instance, repeats the same idempotent call instead of making a second volume.
     */
    @Json
    public record VolumeIntent(String zone, String clientToken, String sourceSnapshotId, String sourceVolumeId) {
    }

    /**
     * A completed periodic snapshot of the slot's volume: the volume and zone it was taken from,
     * the epoch of the holder that took it, and when it was started (epoch milliseconds, by the
     * holder's clock just before CreateSnapshot: the snapshot holds no data written after that).
     */
    @Json
    public record SnapshotRef(String snapshotId, String volumeId, String zone, long epoch, long takenAtMillis) {
    }

    /** An identity's public face, as the slot remembers it. */
    @Json
    public record IdentityRef(String kind, String publicName, String fingerprint) {
    }
}
