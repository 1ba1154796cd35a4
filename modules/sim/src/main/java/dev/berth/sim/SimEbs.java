package dev.berth.sim;

import dev.berth.spi.AttachmentState;
import dev.berth.spi.CloudException;
import dev.berth.spi.VolumeAttachment;
import dev.berth.spi.VolumeState;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * EBS in the simulated world: volumes (create by client token, attach, detach, delete), snapshots
 * (minutes to complete, retention), what EC2 does with the volumes of a terminated instance, and
 * the invariants checked as they change: one live volume per slot and zone, nothing formatted
 * twice, one mount per volume, no retired volume used again, gc and retention deleting only what
 * no slot record names.
 */
final class SimEbs {
    private final World world;
    final Map<String, SimVolume> volumes = new LinkedHashMap<>();
    final Map<String, SimSnapshot> snapshots = new LinkedHashMap<>();
    final Map<String, String> volumeByToken = new HashMap<>();
    /** A fault for tests: attachments stay 'attaching' for ever (an EBS attachment stuck). */
    boolean attachmentsHang;
    /** The next this many volumes created go to 'error' instead of 'available' (a KMS key they cannot use, ...). */
    int createdVolumesToFail;
    private int volumeCounter;
    private int snapshotCounter;

    SimEbs(World world) {
        this.world = world;
    }

    SimVolume createVolume(dev.berth.spi.VolumeRequest request, SimInstance caller) {
        world.faults.checkZoneUp(request.zone(), request.zone());
        var existing = volumeByToken.get(request.clientToken());
        if (existing != null && !volumes.containsKey(existing)) {
            world.trace.violation("gc never deletes what a slot or an in-flight intent names", -1, List.of(caller.id),
                    "volume " + existing + " of client token " + request.clientToken() + " was deleted before its intent was done");
            throw new CloudException(CloudException.Reason.INVALID, existing, "volume " + existing + " was deleted");
        }
        if (existing != null) {
            var earlier = volumes.get(existing);
            if (earlier.sizeGiB != request.sizeGiB() || !java.util.Objects.equals(earlier.snapshotId,
                    request.snapshotId().orElse(null)) || !earlier.zone.equals(request.zone())) {
                throw new CloudException(CloudException.Reason.TOKEN_MISMATCH, request.clientToken(),
                        "IdempotentParameterMismatch: client token " + request.clientToken() + " was used for another request");
            }
            world.counters.idempotentCreates++;
            return earlier;
        }
        if (!request.tags().containsKey("berth:cluster")) {
            world.trace.violation("every resource carries the cluster tag", -1, List.of(caller.id),
                    "volume created without the berth:cluster tag");
        }
        String fromFs = null;
        if (request.snapshotId().isPresent()) {
            var snap = snapshots.get(request.snapshotId().get());
            if (snap == null || snap.deleted) {
                throw new CloudException(CloudException.Reason.NOT_FOUND, request.snapshotId().get(),
                        "snapshot " + request.snapshotId().get() + " does not exist");
            }
            if (request.sizeGiB() < snap.sizeGiB) { // as EC2 answers
                throw new CloudException(CloudException.Reason.INVALID, snap.id, "Volume of " + request.sizeGiB()
                        + "GiB is smaller than snapshot '" + snap.id + "', expect size >= " + snap.sizeGiB + "GiB");
            }
            fromFs = snap.filesystem;
        }
        var id = String.format("vol-%017x", ++volumeCounter);
        var volume = new SimVolume(id, request.zone(), request.sizeGiB(), world.now(), request.snapshotId().orElse(null),
                request.clientToken());
        volume.tags.putAll(request.tags());
        volume.filesystem = fromFs;
        if (request.snapshotId().isPresent()) {
            volume.files.putAll(snapshots.get(request.snapshotId().get()).files);
            volume.identityFingerprint = snapshots.get(request.snapshotId().get()).identityFingerprint;
        }
        volume.state.set(world.now(), VolumeState.CREATING);
        volume.attachments.set(world.now(), List.of());
        volumes.put(id, volume);
        volumeByToken.put(request.clientToken(), id);
        world.counters.volumesCreated++;
        var ready = createdVolumesToFail > 0 ? VolumeState.ERROR : VolumeState.AVAILABLE;
        if (createdVolumesToFail > 0) {
            createdVolumesToFail--;
        }
        world.scheduler.at(world.now() + world.physics.createVolume().draw(world.random), () -> volume.state.set(world.now(), ready));
        int slot = slotTag(volume);
        long sameZone = volumes.values().stream()
                .filter(v -> v.zone.equals(volume.zone) && slotTag(v) == slot && !v.tags.containsKey("berth:retired")
                        && v.state.now() != VolumeState.ERROR && v.state.now() != VolumeState.DELETED
                        && !world.slotView.retired(slot, v.id))
                .count();
        if (slot >= 0 && sameZone > 1) {
            world.trace.violation("one live volume per slot and zone", slot, List.of(caller.id),
                    "slot " + slot + " now has " + sameZone + " volumes in zone " + volume.zone);
        }
        return volume;
    }

    /** A volume a slot record lists as retired (left behind by a move) is never attached for that slot again. */
    private void checkNotRetired(SimInstance caller, SimVolume volume) {
        int slot = slotTag(volume);
        if (slot < 0) {
            return;
        }
        if (world.slotView.retired(slot, volume.id)) {
            world.counters.retiredAttached++;
            world.trace.violation("no retired volume is used again", slot, List.of(caller.id), "volume " + volume.id
                    + " was retired from slot " + slot + " and is being attached again by " + caller.id);
        }
    }

    static int slotTag(SimVolume v) {
        var s = v.tags.get("berth:slot");
        return s == null ? -1 : Integer.parseInt(s);
    }

    VolumeAttachment attach(SimInstance caller, String volumeId) {
        var volume = volumes.get(volumeId);
        if (volume == null || volume.createdAt > world.viewTime()) {
            throw new CloudException(CloudException.Reason.NOT_FOUND, volumeId, "volume " + volumeId + " does not exist (yet)");
        }
        world.faults.checkZoneUp(volume.zone, volumeId);
        checkNotRetired(caller, volume);
        if (!volume.zone.equals(caller.zone)) {
            throw new CloudException(CloudException.Reason.INVALID, volumeId, "volume " + volumeId + " is in zone "
                    + volume.zone + " and instance " + caller.id + " in " + caller.zone);
        }
        if (volume.state.now() == VolumeState.CREATING) {
            throw new CloudException(CloudException.Reason.CONFLICT, volumeId, "volume " + volumeId + " is still creating");
        }
        if (!volume.attachedNow().isEmpty()) {
            var other = volume.attachedNow().getFirst();
            throw new CloudException(CloudException.Reason.CONFLICT, volumeId, "volume " + volumeId
                    + " is in use by " + other.instanceId() + " (" + other.state().name().toLowerCase() + ")");
        }
        var device = "/dev/sd" + (char) ('f' + (caller.nextDevice++ % 10));
        var attaching = new VolumeAttachment(volumeId, caller.id, device, AttachmentState.ATTACHING);
        volume.attachments.set(world.now(), List.of(attaching));
        volume.state.set(world.now(), VolumeState.IN_USE);
        if (attachmentsHang) {
            return attaching;
        }
        world.scheduler.at(world.now() + world.physics.attach().draw(world.random), () -> {
            var current = volume.attachedNow();
            if (current.size() == 1 && current.getFirst().instanceId().equals(caller.id)
                    && current.getFirst().state() == AttachmentState.ATTACHING) {
                volume.attachments.set(world.now(), List.of(new VolumeAttachment(volumeId, caller.id, device,
                        AttachmentState.ATTACHED)));
            }
        });
        return attaching;
    }

    void detach(SimInstance caller, String volumeId) {
        var volume = volumes.get(volumeId);
        if (volume == null) {
            return;
        }
        world.faults.checkZoneUp(volume.zone, volumeId);
        var mine = volume.attachedNow().stream().filter(a -> a.instanceId().equals(caller.id)).findFirst();
        if (mine.isEmpty() || mine.get().state() == AttachmentState.DETACHING) {
            return;
        }
        var a = mine.get();
        volume.attachments.set(world.now(), List.of(new VolumeAttachment(volumeId, caller.id, a.deviceName(), AttachmentState.DETACHING)));
        world.scheduler.at(world.now() + world.physics.detach().draw(world.random), () -> {
            var current = volume.attachedNow();
            if (current.size() == 1 && current.getFirst().instanceId().equals(caller.id)) {
                volume.attachments.set(world.now(), List.of());
                volume.state.set(world.now(), VolumeState.AVAILABLE);
            }
        });
    }

    SimSnapshot snapshot(String volumeId, Map<String, String> tags) {
        var volume = volumes.get(volumeId);
        if (volume == null) {
            throw new CloudException(CloudException.Reason.NOT_FOUND, volumeId, "volume " + volumeId + " does not exist");
        }
        world.faults.checkZoneUp(volume.zone, volumeId);
        for (var earlier : snapshots.values()) {
            if (!earlier.deleted && earlier.volumeId.equals(volumeId) && earlier.tags.entrySet().containsAll(tags.entrySet())) {
                return earlier; // what AwsCloudProvider finds by volume and tags
            }
        }
        var id = String.format("snap-%017x", ++snapshotCounter);
        var snap = new SimSnapshot(id, volumeId, volume.sizeGiB, world.now(), new TreeMap<>(tags), volume.filesystem,
                new TreeMap<>(volume.files), volume.identityFingerprint);
        snapshots.put(id, snap);
        world.counters.snapshots++;
        if (periodic(snap)) {
            world.counters.snapshotsTaken++;
        }
        world.scheduler.at(world.now() + SNAPSHOT_COMPLETION.draw(world.random), () -> complete(snap, volume.zone));
        return snap;
    }

    /** EBS snapshots take minutes, with a long tail; one whose zone is down completes once the zone is back. */
    static final HeavyTail SNAPSHOT_COMPLETION = HeavyTail.seconds(90, 900, 2_400);
    private void complete(SimSnapshot snap, String zone) {
        if (world.faults.zonesDown.contains(zone)) {
            world.scheduler.at(world.now() + 60_000, () -> complete(snap, zone));
            return;
        }
        snap.completed = true;
    }

    static boolean periodic(SimSnapshot snap) {
        return dev.berth.core.claim.SnapshotRetention.KIND_PERIODIC.equals(snap.tags.get(dev.berth.core.claim.SnapshotRetention.TAG_KIND));
    }

    /** Retention deletes a snapshot: never one a slot record names (its latest, or a volume intent's source). */
    void deleteSnapshot(SimInstance caller, String snapshotId) {
        var snap = snapshots.get(snapshotId);
        if (snap == null || snap.deleted) {
            return;
        }
        if (!snap.tags.containsKey("berth:cluster")) {
            world.trace.violation("berth deletes only its own snapshots", -1, List.of(caller.id), "snapshot " + snapshotId
                    + " has no berth:cluster tag");
        }
        for (var s : world.slotView.all()) {
            var record = s.record();
            var slot = java.util.OptionalInt.of(s.slot());
            boolean latest = record.latestSnapshot() != null && record.latestSnapshot().snapshotId().equals(snapshotId);
            boolean source = record.volumeIntent() != null && snapshotId.equals(record.volumeIntent().sourceSnapshotId());
            if (latest || source) {
                world.trace.violation("retention never deletes a snapshot a slot record names", slot.getAsInt(), List.of(caller.id),
                        "snapshot " + snapshotId + " deleted while slot " + slot.getAsInt() + " names it as its "
                                + (latest ? "latest snapshot" : "volume intent's source"));
            }
        }
        snap.deleted = true;
        world.counters.snapshotsDeleted++;
    }

    /**
     * Makes the volumes a store's slot records name exist in this world (formatted, as their
     * records say), so a one-node world can resume or take over slots claimed in earlier runs.
     */
    void seedVolumesFromStore() {
        for (var s : world.slotView.all()) {
            var record = s.record();
            var slot = java.util.OptionalInt.of(s.slot());
            if (record.volume() == null || volumes.containsKey(record.volume().volumeId())) {
                continue;
            }
            var v = new SimVolume(record.volume().volumeId(), record.volume().zone(), world.settings.volume().sizeGiB(), 0, null,
                    "seeded-" + record.volume().volumeId());
            v.tags.put("berth:cluster", world.keys().cluster());
            v.tags.put("berth:slot", Integer.toString(slot.getAsInt()));
            v.filesystem = record.formatted() ? world.settings.volume().filesystem() : null;
            v.state.set(0, VolumeState.AVAILABLE);
            v.attachments.set(0, List.of());
            volumes.put(v.id, v);
        }
    }

    void deleteVolume(SimInstance caller, String volumeId) {
        var v = volumes.get(volumeId);
        if (v == null) {
            return;
        }
        world.faults.checkZoneUp(v.zone, volumeId);
        if (!v.attachedNow().isEmpty() || v.state.now() == VolumeState.CREATING) {
            throw new CloudException(CloudException.Reason.CONFLICT, volumeId, "volume " + volumeId + " is "
                    + v.state.now().name().toLowerCase() + " (VolumeInUse)");
        }
        world.gc.checkVolume(volumeId, caller.id);
        volumes.remove(volumeId);
        world.trace.event(caller.id, "ec2: delete volume", volumeId, slotTag(v));
    }

    void onMkfs(SimInstance instance, SimVolume volume) {
        if (volume.formats > 0 || volume.filesystem != null) {
            world.trace.violation("nothing formatted twice", slotTag(volume), List.of(instance.id),
                    "volume " + volume.id + " was asked to be formatted again (formats so far: " + volume.formats + ")");
        }
    }

    void onMount(SimInstance instance, SimVolume volume) {
        for (var other : world.group.instances.values()) {
            if (other != instance && !other.terminated() && volume.id.equals(other.mountedVolume)) {
                world.trace.violation("every volume mounted by at most one instance", slotTag(volume), List.of(other.id, instance.id),
                        "volume " + volume.id + " mounted by " + other.id + " and " + instance.id);
            }
        }
    }

    private void dropAttachmentsOf(SimInstance instance, SimVolume v) {
        var remaining = v.attachedNow().stream().filter(a -> !a.instanceId().equals(instance.id)).toList();
        if (remaining.size() != v.attachedNow().size()) {
            v.attachments.set(world.now(), remaining);
            v.state.set(world.now(), remaining.isEmpty() ? VolumeState.AVAILABLE : VolumeState.IN_USE);
        }
    }

    /** EC2 lets go of a terminated instance's volumes: at once, or after {@code letGo} ms of detaching. */
    void terminated(SimInstance instance, long letGo) {
        for (var v : volumes.values()) {
            var remaining = v.attachedNow().stream().filter(a -> !a.instanceId().equals(instance.id)).toList();
            if (remaining.size() != v.attachedNow().size() && !world.faults.zonesDown.contains(v.zone)) {
                if (letGo > 0) {
                    var detaching = v.attachedNow().stream().map(a -> a.instanceId().equals(instance.id)
                            ? new VolumeAttachment(a.volumeId(), a.instanceId(), a.deviceName(), AttachmentState.DETACHING)
                            : a).toList();
                    v.attachments.set(world.now(), detaching);
                    world.scheduler.at(world.now() + letGo, () -> dropAttachmentsOf(instance, v));
                } else {
                    dropAttachmentsOf(instance, v);
                }
            }
        }
    }

    /** A zone comes back: EC2 finishes detaching the volumes of instances that terminated meanwhile. */
    void zoneRecovered(String zone) {
        for (var v : volumes.values()) {
            if (!v.zone.equals(zone)) {
                continue;
            }
            var remaining = v.attachedNow().stream()
                    .filter(a -> { var i = world.group.instances.get(a.instanceId()); return i != null && !i.terminated(); })
                    .toList();
            if (remaining.size() != v.attachedNow().size()) {
                v.attachments.set(world.now(), remaining);
                v.state.set(world.now(), remaining.isEmpty() ? VolumeState.AVAILABLE : VolumeState.IN_USE);
            }
        }
    }
}
