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

    @Override
    default void close() {
    }
}
