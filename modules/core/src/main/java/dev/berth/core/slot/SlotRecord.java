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
        String identityBackup) {

    public static final int SCHEMA = 1;

    public SlotRecord {
        Objects.requireNonNull(cluster, "cluster");
        retiredVolumes = retiredVolumes == null ? List.of() : List.copyOf(retiredVolumes);
    }

    /** A new, unclaimed slot. */
    public static SlotRecord fresh(String cluster, int slot) {
        return new SlotRecord(SCHEMA, cluster, slot, 0, null, null, null, List.of(), false, null, null);
    }

    public boolean heldBy(String instanceId) {
        return holder != null && holder.instanceId().equals(instanceId);
    }

    public SlotRecord withHolder(Holder newHolder, long newEpoch) {
        return new SlotRecord(schema, cluster, slot, newEpoch, newHolder, volume, volumeIntent, retiredVolumes, formatted, identity, identityBackup);
    }

    public SlotRecord withVolumeIntent(VolumeIntent intent) {
        return new SlotRecord(schema, cluster, slot, epoch, holder, volume, intent, retiredVolumes, formatted, identity, identityBackup);
    }

    public SlotRecord withVolume(VolumeRef newVolume, List<VolumeRef> retired) {
        return new SlotRecord(schema, cluster, slot, epoch, holder, newVolume, null, retired, formatted, identity, identityBackup);
    }

    public SlotRecord withFormatted(boolean isFormatted) {
        return new SlotRecord(schema, cluster, slot, epoch, holder, volume, volumeIntent, retiredVolumes, isFormatted, identity, identityBackup);
    }

    public SlotRecord withIdentity(IdentityRef ref, String backup) {
        return new SlotRecord(schema, cluster, slot, epoch, holder, volume, volumeIntent, retiredVolumes, formatted, ref, backup);
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

    /** An identity's public face, as the slot remembers it. */
    @Json
    public record IdentityRef(String kind, String publicName, String fingerprint) {
    }
}
