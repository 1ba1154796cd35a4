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
 * @param address       the slot's Elastic IP and network interface (DESIGN step 6b), or null when none was
 *                      configured yet; absent in records written before addresses existed
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
        SnapshotRef latestSnapshot,
        AddressRef address) {

    public static final int SCHEMA = 1;

    public SlotRecord {
        Objects.requireNonNull(cluster, "cluster");
        retiredVolumes = retiredVolumes == null ? List.of() : List.copyOf(retiredVolumes);
    }


    /** Whether this volume was left behind by a move: it is never the slot's volume again. */
    public boolean retired(String volumeId) {
        return retiredVolumes.stream().anyMatch(v -> v.volumeId().equals(volumeId));
    }

    /** A new, unclaimed slot. */
    public static SlotRecord fresh(String cluster, int slot) {
        return new SlotRecord(SCHEMA, cluster, slot, 0, null, null, null, List.of(), false, null, null, null, null);
    }

    public boolean heldBy(String instanceId) {
        return holder != null && holder.instanceId().equals(instanceId);
    }

    public SlotRecord withHolder(Holder newHolder, long newEpoch) {
        return new SlotRecord(schema, cluster, slot, newEpoch, newHolder, volume, volumeIntent, retiredVolumes, formatted, identity, identityBackup, latestSnapshot, address);
    }

    public SlotRecord withVolumeIntent(VolumeIntent intent) {
        return new SlotRecord(schema, cluster, slot, epoch, holder, volume, intent, retiredVolumes, formatted, identity, identityBackup, latestSnapshot, address);
    }

    public SlotRecord withVolume(VolumeRef newVolume, List<VolumeRef> retired) {
        return new SlotRecord(schema, cluster, slot, epoch, holder, newVolume, null, retired, formatted, identity, identityBackup, latestSnapshot, address);
    }

    public SlotRecord withFormatted(boolean isFormatted) {
        return new SlotRecord(schema, cluster, slot, epoch, holder, volume, volumeIntent, retiredVolumes, isFormatted, identity, identityBackup, latestSnapshot, address);
    }

    public SlotRecord withIdentity(IdentityRef ref, String backup) {
        return new SlotRecord(schema, cluster, slot, epoch, holder, volume, volumeIntent, retiredVolumes, formatted, ref, backup, latestSnapshot, address);
    }

    public SlotRecord withLatestSnapshot(SnapshotRef snapshot) {
        return new SlotRecord(schema, cluster, slot, epoch, holder, volume, volumeIntent, retiredVolumes, formatted, identity, identityBackup, snapshot, address);
    }

    public SlotRecord withAddress(AddressRef newAddress) {
        return new SlotRecord(schema, cluster, slot, epoch, holder, volume, volumeIntent, retiredVolumes, formatted, identity,
                identityBackup, latestSnapshot, newAddress);
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

    /**
     * The slot's network address (DESIGN step 6b). Every field may be null. An Elastic IP: the intent
     * token recorded before AllocateAddress (the allocation is tagged with it and looked up by it), then
     * the allocation, its public address, and the instance it was last associated with by the slot's
     * holder. A network interface: the client token recorded before CreateNetworkInterface, then the
     * interface, its zone and private address, and the instance it was last attached to. Interfaces left
     * behind in another zone are kept in {@code retiredInterfaces} for cleanup.
     */
    @Json
    public record AddressRef(
            String allocationToken,
            String allocationId,
            String publicIp,
            String associatedWith,
            String interfaceToken,
            String interfaceId,
            String interfaceZone,
            String privateIp,
            String attachedTo,
            List<String> retiredInterfaces) {

        public AddressRef {
            retiredInterfaces = retiredInterfaces == null ? List.of() : List.copyOf(retiredInterfaces);
        }

        public static AddressRef none() {
            return new AddressRef(null, null, null, null, null, null, null, null, null, List.of());
        }

        public AddressRef withAllocationToken(String token) {
            return new AddressRef(token, allocationId, publicIp, associatedWith, interfaceToken, interfaceId, interfaceZone,
                    privateIp, attachedTo, retiredInterfaces);
        }

        public AddressRef withAllocation(String id, String ip) {
            return new AddressRef(allocationToken, id, ip, associatedWith, interfaceToken, interfaceId, interfaceZone,
                    privateIp, attachedTo, retiredInterfaces);
        }

        public AddressRef withAssociatedWith(String instance) {
            return new AddressRef(allocationToken, allocationId, publicIp, instance, interfaceToken, interfaceId, interfaceZone,
                    privateIp, attachedTo, retiredInterfaces);
        }

        public AddressRef withInterfaceToken(String token, String zone) {
            return new AddressRef(allocationToken, allocationId, publicIp, associatedWith, token, interfaceId, zone,
                    privateIp, attachedTo, retiredInterfaces);
        }

        public AddressRef withInterface(String id, String zone, String ip, List<String> retired) {
            return new AddressRef(allocationToken, allocationId, publicIp, associatedWith, interfaceToken, id, zone,
                    ip, attachedTo, retired);
        }

        public AddressRef withAttachedTo(String instance) {
            return new AddressRef(allocationToken, allocationId, publicIp, associatedWith, interfaceToken, interfaceId,
                    interfaceZone, privateIp, instance, retiredInterfaces);
        }
    }
}
