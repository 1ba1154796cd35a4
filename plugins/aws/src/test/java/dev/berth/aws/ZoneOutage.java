package dev.berth.aws;

import dev.berth.spi.CloudException;
import dev.berth.spi.CloudProvider;
import dev.berth.spi.GroupView;
import dev.berth.spi.InstanceIdentity;
import dev.berth.spi.InstanceState;
import dev.berth.spi.LifecycleAction;
import dev.berth.spi.Snapshot;
import dev.berth.spi.Volume;
import dev.berth.spi.VolumeAttachment;
import dev.berth.spi.VolumeQuery;
import dev.berth.spi.VolumeRequest;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real provider as an instance sees it while zones are down: a volume in a down zone cannot be
 * snapshotted, attached or detached (EC2 answers, the zone does not), which moto cannot play by
 * itself. The regional calls (describe, tag, create in another zone) go through. It also keeps the
 * {@link EbsDirectories} stand-in honest about snapshots: a snapshot holds its volume's content as it
 * was when it was taken, and a volume created from it starts with that content, as on EBS.
 */
final class ZoneOutage implements CloudProvider {
    private final CloudProvider delegate;
    private final EbsDirectories devices;
    private final Set<String> down = ConcurrentHashMap.newKeySet();

    ZoneOutage(CloudProvider delegate, EbsDirectories devices) {
        this.delegate = delegate;
        this.devices = devices;
    }

    void down(String zone) {
        down.add(zone);
    }

    private void reachable(String volumeId, String call) {
        var zone = delegate.describeVolume(volumeId).map(Volume::zone).orElse("");
        if (down.contains(zone)) {
            throw new CloudException(CloudException.Reason.UNAVAILABLE, volumeId, call + " of volume " + volumeId
                    + " failed: zone " + zone + " is down (the test's outage)");
        }
    }

    @Override
    public Snapshot createSnapshot(String volumeId, Map<String, String> tags) {
        reachable(volumeId, "ec2:CreateSnapshot");
        var snapshot = delegate.createSnapshot(volumeId, tags);
        devices.snapshotted(snapshot.snapshotId(), volumeId);
        return snapshot;
    }

    @Override
    public Volume createVolume(VolumeRequest request) {
        var volume = delegate.createVolume(request);
        request.snapshotId().ifPresent(snapshot -> devices.createdFrom(volume.volumeId(), snapshot));
        return volume;
    }

    @Override
    public VolumeAttachment attachVolume(String volumeId) {
        reachable(volumeId, "ec2:AttachVolume");
        return delegate.attachVolume(volumeId);
    }

    @Override
    public void detachVolume(String volumeId) {
        reachable(volumeId, "ec2:DetachVolume");
        delegate.detachVolume(volumeId);
    }

    @Override
    public void detachVolumeFrom(String volumeId, String instanceId) {
        reachable(volumeId, "ec2:DetachVolume");
        delegate.detachVolumeFrom(volumeId, instanceId);
    }

    @Override
    public InstanceIdentity self() {
        return delegate.self();
    }

    @Override
    public GroupView group() {
        return delegate.group();
    }

    @Override
    public Map<String, InstanceState> instanceStates(Collection<String> instanceIds) {
        return delegate.instanceStates(instanceIds);
    }

    @Override
    public List<Volume> findVolumes(VolumeQuery query) {
        return delegate.findVolumes(query);
    }

    @Override
    public Optional<Volume> describeVolume(String volumeId) {
        return delegate.describeVolume(volumeId);
    }

    @Override
    public Optional<Snapshot> describeSnapshot(String snapshotId) {
        return delegate.describeSnapshot(snapshotId);
    }

    @Override
    public List<Snapshot> findSnapshots(Map<String, String> tags) {
        return delegate.findSnapshots(tags);
    }

    @Override
    public void deleteSnapshot(String snapshotId) {
        delegate.deleteSnapshot(snapshotId);
    }

    @Override
    public void tag(String resourceId, Map<String, String> tags) {
        delegate.tag(resourceId, tags);
    }

    @Override
    public Map<String, Long> createdMillis(Collection<String> resourceIds) {
        return delegate.createdMillis(resourceIds);
    }

    @Override
    public Optional<dev.berth.spi.LifecycleState> selfLifecycleState() {
        return delegate.selfLifecycleState();
    }

    @Override
    public void markSelfUnhealthy(String reason) {
        delegate.markSelfUnhealthy(reason);
    }

    @Override
    public void terminateSelf(String reason) {
        delegate.terminateSelf(reason);
    }

    @Override
    public void completeLifecycleAction(LifecycleAction action) {
        delegate.completeLifecycleAction(action);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
