package dev.berth.aws;

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
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real provider, except that the process "dies" right after the first CreateVolume returns:
 * an {@link Error} (never a BerthException, which the protocol might handle) escapes the claim
 * before the slot record learns the volume's id.
 */
final class CrashAfterCreateVolume implements CloudProvider {
    static final class Crash extends Error {
        Crash(String volumeId) {
            super("crash: the process died right after CreateVolume returned " + volumeId);
        }
    }

    private final CloudProvider delegate;
    final AtomicReference<String> createdBeforeCrash = new AtomicReference<>();

    CrashAfterCreateVolume(CloudProvider delegate) {
        this.delegate = delegate;
    }

    @Override
    public Volume createVolume(VolumeRequest request) {
        var created = delegate.createVolume(request);
        if (createdBeforeCrash.compareAndSet(null, created.volumeId())) {
            throw new Crash(created.volumeId());
        }
        return created;
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
    public VolumeAttachment attachVolume(String volumeId) {
        return delegate.attachVolume(volumeId);
    }

    @Override
    public void detachVolume(String volumeId) {
        delegate.detachVolume(volumeId);
    }

    @Override
    public Snapshot createSnapshot(String volumeId, Map<String, String> tags) {
        return delegate.createSnapshot(volumeId, tags);
    }

    @Override
    public Optional<Snapshot> describeSnapshot(String snapshotId) {
        return delegate.describeSnapshot(snapshotId);
    }

    @Override
    public void tag(String resourceId, Map<String, String> tags) {
        delegate.tag(resourceId, tags);
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
