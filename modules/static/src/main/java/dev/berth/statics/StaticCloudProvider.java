package dev.berth.statics;

import dev.berth.core.claim.Ticker;
import dev.berth.spi.AttachmentState;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.CloudException;
import dev.berth.spi.CloudProvider;
import dev.berth.spi.GroupMember;
import dev.berth.spi.GroupView;
import dev.berth.spi.InstanceIdentity;
import dev.berth.spi.InstanceState;
import dev.berth.spi.LifecycleAction;
import dev.berth.spi.LifecycleState;
import dev.berth.spi.Snapshot;
import dev.berth.spi.Volume;
import dev.berth.spi.VolumeAttachment;
import dev.berth.spi.VolumeQuery;
import dev.berth.spi.VolumeRequest;
import dev.berth.spi.VolumeState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The cloud of a bare-metal cluster (a few mini PCs), or of several berth processes racing on
 * one machine. Who lives is decided by leases in the claim store (kept by {@link LeaseKeeper}):
 * a live lease is a running instance, an expired one a terminated instance. Volumes are
 * directories under the data root of this machine; they never move between machines, so
 * snapshots are refused and each machine should be its own zone (with cross-zone moves off).
 */
public final class StaticCloudProvider implements CloudProvider {
    static final String INSTANCE_TYPE = "static";
    private static final String UNKNOWN_ZONE = "unknown";

    private final ClaimStore store;
    private final StaticSettings settings;
    private final Ticker ticker;
    private final DirectoryVolumes volumes;

    public StaticCloudProvider(ClaimStore store, StaticSettings settings, Ticker ticker) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.volumes = new DirectoryVolumes(settings.dataRoot());
    }

    /** What a lease record says about an instance at one moment. */
    private sealed interface LeaseStatus {
        record Live(String zone) implements LeaseStatus {
        }

        record Expired(String zone) implements LeaseStatus {
        }

        /** Unreadable: counted alive (safety over liveness) until someone deletes the record. */
        record Unreadable() implements LeaseStatus {
        }
    }

    private LeaseStatus statusOf(String key, byte[] value, long now) {
        try {
            var lease = LeaseRecord.parse(key, value);
            return lease.liveAt(now) ? new LeaseStatus.Live(lease.zone()) : new LeaseStatus.Expired(lease.zone());
        } catch (LeaseRecord.CorruptLeaseException e) {
            return new LeaseStatus.Unreadable();
        }
    }

    private Optional<LeaseStatus> leaseOf(String instanceId) {
        if (!StaticSettings.isValidName(instanceId)) {
            return Optional.empty();
        }
        var key = settings.leaseKey(instanceId);
        return store.get(key).map(v -> statusOf(key, v.value(), ticker.nowMillis()));
    }

    @Override
    public InstanceIdentity self() {
        return new InstanceIdentity(settings.instanceId(), settings.zone(), settings.region(),
                Optional.of(settings.cluster()), INSTANCE_TYPE, Optional.empty(), Optional.empty());
    }

    @Override
    public GroupView group() {
        var prefix = settings.leasesPrefix();
        long now = ticker.nowMillis();
        var leases = new TreeMap<String, LeaseStatus>();
        for (var v : store.list(prefix)) {
            var id = v.key().substring(prefix.length());
            if (StaticSettings.isValidName(id)) {
                leases.put(id, statusOf(v.key(), v.value(), now));
            }
        }
        var ids = settings.members().isEmpty() ? List.copyOf(leases.keySet()) : settings.members();
        var zones = new TreeSet<String>();
        zones.add(settings.zone());
        var members = new java.util.ArrayList<GroupMember>();
        for (var id : ids) {
            var status = leases.get(id);
            var member = switch (status) {
                case null -> new GroupMember(id, zoneOf(id, UNKNOWN_ZONE), LifecycleState.TERMINATED, false);
                case LeaseStatus.Live live -> new GroupMember(id, live.zone(), LifecycleState.IN_SERVICE, true);
                case LeaseStatus.Expired expired -> new GroupMember(id, expired.zone(), LifecycleState.TERMINATED, false);
                case LeaseStatus.Unreadable u -> new GroupMember(id, zoneOf(id, UNKNOWN_ZONE), LifecycleState.UNKNOWN, false);
            };
            if (member.lifecycleState() == LifecycleState.IN_SERVICE) {
                zones.add(member.zone());
            }
            members.add(member);
        }
        return new GroupView("static/" + settings.cluster(), settings.capacity(), List.copyOf(zones), members);
    }

    private String zoneOf(String id, String fallback) {
        return id.equals(settings.instanceId()) ? settings.zone() : fallback;
    }

    @Override
    public Map<String, InstanceState> instanceStates(Collection<String> instanceIds) {
        var result = new LinkedHashMap<String, InstanceState>();
        for (var id : new TreeSet<>(instanceIds)) {
            leaseOf(id).ifPresent(status -> result.put(id, switch (status) {
                case LeaseStatus.Live live -> InstanceState.RUNNING;
                case LeaseStatus.Expired expired -> InstanceState.TERMINATED;
                case LeaseStatus.Unreadable unreadable -> InstanceState.RUNNING;
            }));
        }
        return result;
    }

    // Volumes ---------------------------------------------------------------------------------

    @Override
    public List<Volume> findVolumes(VolumeQuery query) {
        return volumes.all().stream()
                .filter(m -> query.zone().map(m.zone()::equals).orElse(true))
                .filter(m -> m.tags().entrySet().containsAll(query.tags().entrySet()))
                .map(this::toVolume)
                .toList();
    }

    @Override
    public Optional<Volume> describeVolume(String volumeId) {
        return volumes.read(volumeId).map(this::toVolume);
    }

    private Volume toVolume(DirectoryVolumes.Meta meta) {
        var dir = volumes.dataDirectory(meta.volumeId());
        var attachments = meta.attachedTo()
                .map(i -> List.of(new VolumeAttachment(meta.volumeId(), i, dir.toString(), AttachmentState.ATTACHED)))
                .orElse(List.of());
        var state = !Files.isDirectory(dir) ? VolumeState.ERROR
                : attachments.isEmpty() ? VolumeState.AVAILABLE : VolumeState.IN_USE;
        return new Volume(meta.volumeId(), meta.zone(), meta.sizeGiB(), state, Optional.empty(), meta.tags(), attachments);
    }

    /** The volume id of a client token: the same token in the same zone gives the same id. */
    static String volumeIdOf(String zone, String clientToken) {
        try {
            var digest = MessageDigest.getInstance("SHA-256")
                    .digest((zone + "\n" + clientToken).getBytes(StandardCharsets.UTF_8));
            return "vol-" + HexFormat.of().formatHex(digest).substring(0, 17);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    @Override
    public Volume createVolume(VolumeRequest request) {
        if (!request.zone().equals(settings.zone())) {
            throw new CloudException(CloudException.Reason.INVALID, request.zone(), "the static provider makes volumes"
                    + " only on this machine, in zone " + settings.zone() + ", not in zone " + request.zone()
                    + ": set the cross-zone policy to 'never' for bare metal");
        }
        if (request.snapshotId().isPresent()) {
            throw new CloudException(CloudException.Reason.INVALID, request.snapshotId().get(), "the static provider"
                    + " cannot create a volume from snapshot " + request.snapshotId().get() + ": it has no snapshots;"
                    + " remove the seed snapshot from the volume settings and copy seed data into the directory by hand");
        }
        var volumeId = volumeIdOf(request.zone(), request.clientToken());
        return volumes.locked(volumeId, () -> {
            var existing = volumes.read(volumeId);
            if (existing.isPresent()) {
                if (!existing.get().clientToken().equals(request.clientToken())) {
                    throw new CloudException(CloudException.Reason.CONFLICT, volumeId, "volume " + volumeId
                            + " exists with another client token; remove its record under " + volumes.dataRoot()
                            + "/.berth-volumes if it is stale, then re-run");
                }
                return toVolume(existing.get());
            }
            createDirectory(volumeId);
            var tags = new TreeMap<>(request.tags());
            var meta = new DirectoryVolumes.Meta(volumeId, request.zone(), request.sizeGiB(), request.clientToken(),
                    ticker.nowMillis(), tags, Optional.empty());
            volumes.write(meta);
            return toVolume(meta);
        });
    }

    @Override
    public VolumeAttachment attachVolume(String volumeId) {
        return volumes.locked(checkedId(volumeId), () -> {
            var meta = volumes.read(volumeId).orElseThrow(() -> elsewhere(volumeId));
            if (!meta.zone().equals(settings.zone())) {
                throw new CloudException(CloudException.Reason.INVALID, volumeId, "volume " + volumeId + " is in zone "
                        + meta.zone() + " and this instance is in zone " + settings.zone() + ": a directory volume"
                        + " cannot leave its machine; run berth with zone " + meta.zone() + " or give the slot a new volume");
            }
            var self = settings.instanceId();
            var dir = volumes.dataDirectory(volumeId);
            if (meta.attachedTo().isPresent() && !meta.attachedTo().get().equals(self)) {
                var other = meta.attachedTo().get();
                var status = leaseOf(other);
                if (status.isPresent() && !(status.get() instanceof LeaseStatus.Expired)) {
                    throw new CloudException(CloudException.Reason.CONFLICT, volumeId, "volume " + volumeId + " (" + dir
                            + ") is attached to instance " + other + ", whose lease at '" + settings.leaseKey(other)
                            + "' is live: wait for it to release its slot, or stop it and let its lease expire");
                }
                // Its holder's lease is gone or expired: that instance is terminated, take the volume over.
            }
            createDirectory(volumeId);
            if (!meta.attachedTo().equals(Optional.of(self))) {
                volumes.write(meta.withAttachedTo(Optional.of(self)));
            }
            return new VolumeAttachment(volumeId, self, dir.toString(), AttachmentState.ATTACHED);
        });
    }

    @Override
    public void detachVolume(String volumeId) {
        if (!DirectoryVolumes.isVolumeId(volumeId)) {
            return;
        }
        volumes.locked(volumeId, () -> {
            volumes.read(volumeId)
                    .filter(m -> m.attachedTo().equals(Optional.of(settings.instanceId())))
                    .ifPresent(m -> volumes.write(m.withAttachedTo(Optional.empty())));
            return null;
        });
    }

    private void createDirectory(String volumeId) {
        var dir = volumes.dataDirectory(volumeId);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CloudException(CloudException.Reason.UNAVAILABLE, volumeId, "could not create directory " + dir
                    + " for volume " + volumeId + " (" + e + "): check that " + volumes.dataRoot()
                    + " is a writable directory (set data-root)", e);
        }
    }

    private static String checkedId(String volumeId) {
        if (!DirectoryVolumes.isVolumeId(volumeId)) {
            throw notFound(volumeId);
        }
        return volumeId;
    }

    /**
     * A directory volume is a machine's disk and a volume's record is written before its id is ever
     * returned: one missing here lives on another machine (the slot's previous holder) and will not
     * appear by waiting. Refused at once (INVALID, never retried), instead of waiting for it.
     */
    private CloudException elsewhere(String volumeId) {
        return new CloudException(CloudException.Reason.INVALID, volumeId, "volume " + volumeId + " is not on this"
                + " machine (" + settings.instanceId() + ", no record under " + volumes.dataRoot() + "/.berth-volumes):"
                + " a directory volume is a disk of the machine that made it, most likely the slot's previous holder,"
                + " and it never moves to another machine. Start berth on that machine again to use the slot's data"
                + " there; or, to give up that data, copy it here by hand (with its .berth-volumes record), or release"
                + " the slot's volume by hand. Give each machine its own zone so that berth sees the move and refuses"
                + " it before claiming");
    }

    private static CloudException notFound(String volumeId) {
        return new CloudException(CloudException.Reason.NOT_FOUND, volumeId, "volume " + volumeId + " is not a directory"
                + " volume of this machine: check the data root and that the slot was claimed on this machine");
    }

    // What bare metal cannot do ---------------------------------------------------------------

    @Override
    public Snapshot createSnapshot(String volumeId, Map<String, String> tags) {
        throw noSnapshots(volumeId);
    }

    @Override
    public Optional<Snapshot> describeSnapshot(String snapshotId) {
        throw noSnapshots(snapshotId);
    }

    private CloudException noSnapshots(String resource) {
        return new CloudException(CloudException.Reason.INVALID, resource, "the static provider does not move volumes"
                + " between machines (no snapshots, asked about " + resource + "): set the cross-zone policy to 'never',"
                + " and copy the data by hand if a slot must move to another machine");
    }

    /** Merges tags into a directory volume's record; a no-op for anything else. */
    @Override
    public void tag(String resourceId, Map<String, String> tags) {
        if (!DirectoryVolumes.isVolumeId(resourceId)) {
            return;
        }
        volumes.locked(resourceId, () -> {
            volumes.read(resourceId).ifPresent(m -> volumes.write(m.withTags(tags)));
            return null;
        });
    }

    /** Nothing replaces a machine here: a no-op. */
    @Override
    public void markSelfUnhealthy(String reason) {
    }

    @Override
    public void terminateSelf(String reason) {
        throw new CloudException(CloudException.Reason.INVALID, settings.instanceId(), "instance "
                + settings.instanceId() + " is bare metal and cannot terminate itself (asked because: " + reason
                + "): use the 'wait' full-cluster policy with the static provider");
    }

    /** There are no lifecycle hooks on bare metal: a no-op. */
    @Override
    public void completeLifecycleAction(LifecycleAction action) {
    }

    // Day 2: grow, gc, release (issue 13) ----------------------------------------------------

    /** A directory has no size of its own: the recorded size grows at once (the filesystem is the host's). */
    @Override
    public dev.berth.spi.VolumeModification modifyVolume(String volumeId, int sizeGiB) {
        return volumes.locked(checkedId(volumeId), () -> {
            var meta = volumes.read(volumeId).orElseThrow(() -> elsewhere(volumeId));
            if (sizeGiB < meta.sizeGiB()) {
                throw new CloudException(CloudException.Reason.INVALID, volumeId, "volume " + volumeId + " has "
                        + meta.sizeGiB() + " GiB; berth never shrinks a volume (asked for " + sizeGiB + " GiB)");
            }
            volumes.write(meta.withSize(sizeGiB));
            return new dev.berth.spi.VolumeModification(volumeId, meta.sizeGiB(), sizeGiB,
                    dev.berth.spi.VolumeModification.State.COMPLETED, ticker.nowMillis());
        });
    }

    /** Deletes a directory volume of this machine (its data and its record); refused while attached. */
    @Override
    public void deleteVolume(String volumeId) {
        if (!DirectoryVolumes.isVolumeId(volumeId)) {
            return;
        }
        volumes.locked(volumeId, () -> {
            var meta = volumes.read(volumeId);
            if (meta.isEmpty()) {
                return null;
            }
            if (meta.get().attachedTo().isPresent()) {
                throw new CloudException(CloudException.Reason.CONFLICT, volumeId, "volume " + volumeId + " is attached"
                        + " to " + meta.get().attachedTo().get() + ": release its slot first (berth release --slot N)");
            }
            volumes.delete(volumeId);
            return null;
        });
    }

    /** Bare metal has no snapshots: none to list. */
    @Override
    public List<Snapshot> findSnapshots(Map<String, String> tags) {
        return List.of();
    }

    @Override
    public Map<String, Long> createdMillis(Collection<String> resourceIds) {
        var result = new TreeMap<String, Long>();
        for (var id : resourceIds) {
            volumes.read(id).ifPresent(m -> result.put(id, m.createdAtMillis()));
        }
        return result;
    }

    /** Clears the attachment of a volume to another instance whose lease is gone or expired. */
    @Override
    public void detachVolumeFrom(String volumeId, String instanceId) {
        volumes.locked(checkedId(volumeId), () -> {
            var meta = volumes.read(volumeId).orElseThrow(() -> elsewhere(volumeId));
            if (!meta.attachedTo().equals(Optional.of(instanceId))) {
                return null;
            }
            var status = leaseOf(instanceId);
            if (status.isPresent() && !(status.get() instanceof LeaseStatus.Expired) && !instanceId.equals(settings.instanceId())) {
                throw new CloudException(CloudException.Reason.CONFLICT, volumeId, "volume " + volumeId + " is attached to "
                        + instanceId + ", whose lease at '" + settings.leaseKey(instanceId) + "' is live: stop berth there");
            }
            volumes.write(meta.withAttachedTo(Optional.empty()));
            return null;
        });
    }
}
