package dev.berth.spi;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cloud as berth sees it from one instance. Describe calls may be eventually consistent
 * and stale; berth never decides ownership from them (ownership is the {@link ClaimStore}'s).
 * Failures are {@link CloudException}s with a {@link CloudException.Reason}.
 */
public interface CloudProvider extends AutoCloseable {

    /** Who am I: instance id, zone, region, group (IMDS on AWS). */
    InstanceIdentity self();

    /** The group's desired capacity, zones and members with their lifecycle states. */
    GroupView group();

    /**
     * The machine state of each instance asked for; an instance the cloud does not know
     * (never existed, or gone long ago, or not yet visible) is absent from the map.
     */
    Map<String, InstanceState> instanceStates(Collection<String> instanceIds);

    /** Volumes carrying all the given tags, optionally in one zone. May lag behind writes. */
    List<Volume> findVolumes(VolumeQuery query);

    /** One volume; empty when the cloud does not (yet) know it. May lag behind writes. */
    Optional<Volume> describeVolume(String volumeId);

    /**
     * Creates a volume, idempotent on {@link VolumeRequest#clientToken()}: the same token
     * returns the volume the first call created, never a second one.
     */
    Volume createVolume(VolumeRequest request);

    /** Attaches a volume to this instance on a free device name; returns at once (attaching). */
    VolumeAttachment attachVolume(String volumeId);

    /** Detaches a volume from this instance only; a no-op when it is not attached here. */
    void detachVolume(String volumeId);

    /**
     * Starts a snapshot of a volume (for a cross-zone move), or returns the pending or completed
     * snapshot of that volume that already carries all of {@code tags}: snapshots have no client
     * token, so the tags (which name the cluster, the slot and its epoch) stand in for one, and a
     * crash between this call and its record makes no second snapshot.
     */
    Snapshot createSnapshot(String volumeId, Map<String, String> tags);

    Optional<Snapshot> describeSnapshot(String snapshotId);

    /**
     * Snapshots owned by this account that carry all of {@code tags} (berth's periodic snapshots of
     * one slot). May lag behind writes. A provider without snapshots refuses with {@link CloudException.Reason#INVALID}.
     */
    default List<Snapshot> findSnapshots(Map<String, String> tags) {
        throw new CloudException(CloudException.Reason.INVALID, "snapshots", "this cloud provider keeps no snapshots:"
                + " set snapshots.everyMinutes to 0 (no periodic snapshots) and crossZone to never or snapshot");
    }

    /**
     * Deletes a snapshot berth made (retention); a no-op when it is already gone. Providers refuse a
     * snapshot without the {@code berth:cluster} tag.
     */
    default void deleteSnapshot(String snapshotId) {
        throw new CloudException(CloudException.Reason.INVALID, snapshotId, "this cloud provider cannot delete snapshots");
    }

    /** Adds or replaces tags on a volume or snapshot. */
    void tag(String resourceId, Map<String, String> tags);

    /** Tells the group this instance is unhealthy, so it gets replaced. */
    void markSelfUnhealthy(String reason);

    /** Terminates this instance without lowering the group's desired capacity. */
    void terminateSelf(String reason);

    /** Completes a lifecycle hook for this instance (continue or abandon the transition). */
    void completeLifecycleAction(LifecycleAction action);

    /**
     * Whether this instance has been told it will go away (IMDS target lifecycle state, spot
     * instance-action on AWS); empty when not, or when the cloud cannot tell. Polled by the keeper.
     */
    default Optional<TerminationNotice> terminationNotice() {
        return Optional.empty();
    }

    /** Keeps a lifecycle hook waiting while the keeper lets go of the slot (RecordLifecycleActionHeartbeat). */
    default void heartbeatLifecycleAction(String hookName) {
    }

    // Addresses and network interfaces (DESIGN step 6b). Optional: a provider that has none refuses
    // them, and berth asks for them only when the configuration's network: section turns them on.

    /**
     * Finds the Elastic IP carrying all of {@code tags} (which name the cluster, the slot and an intent
     * token), or allocates one tagged so: AllocateAddress has no client token, so the tags stand in for
     * one and a crash between the call and its record makes no second address.
     */
    default ElasticAddress allocateAddress(Map<String, String> tags) {
        throw unsupported("allocate an Elastic IP");
    }

    /** One Elastic IP by allocation id; empty when the cloud does not (yet) know it. May lag behind writes. */
    default Optional<ElasticAddress> describeAddress(String allocationId) {
        throw unsupported("describe Elastic IP " + allocationId);
    }

    /**
     * Associates an Elastic IP with this instance without reassociation: it fails with
     * {@link CloudException.Reason#CONFLICT} when the address is associated elsewhere, so that taking an
     * address from someone is always a separate, deliberate {@link #disassociateAddress}. Returns the
     * association id; associating an address already associated here returns its association.
     */
    default String associateAddress(String allocationId) {
        throw unsupported("associate Elastic IP " + allocationId);
    }

    /** Ends exactly one association (by its id); a no-op when it has already ended. */
    default void disassociateAddress(String associationId) {
        throw unsupported("disassociate Elastic IP association " + associationId);
    }

    /** Creates a network interface, idempotent on {@link NetworkInterfaceRequest#clientToken()}. */
    default NetworkInterface createNetworkInterface(NetworkInterfaceRequest request) {
        throw unsupported("create a network interface");
    }

    /** One network interface; empty when the cloud does not (yet) know it. May lag behind writes. */
    default Optional<NetworkInterface> describeNetworkInterface(String interfaceId) {
        throw unsupported("describe network interface " + interfaceId);
    }

    /**
     * Attaches a network interface to this instance at {@code deviceIndex}, kept when the instance
     * terminates (delete-on-termination off). Fails with {@link CloudException.Reason#CONFLICT} when it is
     * attached elsewhere. Returns the attachment id.
     */
    default String attachNetworkInterface(String interfaceId, int deviceIndex) {
        throw unsupported("attach network interface " + interfaceId);
    }

    /** Ends exactly one attachment (by its id); a no-op when it has already ended. */
    default void detachNetworkInterface(String attachmentId) {
        throw unsupported("detach network interface attachment " + attachmentId);
    }

    private CloudException unsupported(String what) {
        return new CloudException(CloudException.Reason.INVALID, getClass().getName(), "cannot " + what + ": addresses and"
                + " network interfaces are not supported by provider " + getClass().getName()
                + "; remove the network: section from the configuration (or set elasticIp and interface to none)");
    }

    // Day 2 (issue 13): grow, clean up, release. Each throws INVALID until a provider implements it. -----

    /**
     * Grows a volume to {@code sizeGiB} (EBS ModifyVolume); returns the modification under way. A
     * volume is never shrunk: a smaller size is refused with {@link CloudException.Reason#INVALID}. A
     * volume modified too recently (EBS: once per six hours) is refused with {@code CONFLICT}.
     */
    default VolumeModification modifyVolume(String volumeId, int sizeGiB) {
        throw unsupported("modify (grow) volume " + volumeId, volumeId);
    }

    /** The latest modification of a volume, if it has one (pending or done); empty when never modified. */
    default java.util.Optional<VolumeModification> describeVolumeModification(String volumeId) {
        return java.util.Optional.empty();
    }

    /** Deletes a volume that is attached nowhere; a no-op when it is already gone. */
    default void deleteVolume(String volumeId) {
        throw unsupported("delete volume " + volumeId, volumeId);
    }

    /**
     * When volumes or snapshots were created (epoch milliseconds), for gc's {@code --older-than}; an id
     * the cloud does not know is absent from the map. By default nothing is known (gc then treats
     * every candidate as new enough to keep unless no age bound is asked for).
     */
    default Map<String, Long> createdMillis(Collection<String> resourceIds) {
        return Map.of();
    }

    /**
     * Detaches a volume from another instance that is gone for good (an operator's release of a dead
     * holder's slot): EC2 DetachVolume with that instance id and Force.
     */
    default void detachVolumeFrom(String volumeId, String instanceId) {
        throw unsupported("detach volume " + volumeId + " from instance " + instanceId, volumeId);
    }

    /**
     * This instance's own lifecycle state when the cloud tells it (a warm pool's {@code Warmed:*}); empty
     * when unknown. An instance in a warm pool never claims a slot.
     */
    default java.util.Optional<LifecycleState> selfLifecycleState() {
        return java.util.Optional.empty();
    }

    private CloudException unsupported(String what, String resource) {
        return new CloudException(CloudException.Reason.INVALID, resource, "the cloud provider "
                + getClass().getSimpleName() + " cannot " + what + ": it does not implement this call;"
                + " use a provider that does (aws, static, sim) or do it by hand");
    }

    @Override
    default void close() {
    }
}
