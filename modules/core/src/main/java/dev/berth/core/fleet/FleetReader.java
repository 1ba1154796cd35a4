package dev.berth.core.fleet;

import dev.berth.core.claim.Calls;
import dev.berth.core.claim.HolderLiveness;
import dev.berth.core.claim.HolderStatus;
import dev.berth.core.claim.Ticker;
import dev.berth.core.slot.SlotCodec;
import dev.berth.core.slot.SlotKeys;
import dev.berth.core.slot.SlotRecord;
import dev.berth.core.slot.SlotRepository;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.CloudException;
import dev.berth.spi.CloudProvider;
import dev.berth.spi.GroupView;
import dev.berth.spi.Snapshot;
import dev.berth.spi.Volume;
import dev.berth.spi.VolumeQuery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * Reads the fleet for {@code berth status} and {@code berth gc}; it never writes. Order matters for
 * gc's safety: the cloud's volumes and snapshots are listed first, the slot table read after, so a
 * volume a claim created before the listing is named in that table by the slot or by its intent
 * (an intent is written before its CreateVolume; the store is linearizable).
 */
public final class FleetReader {
    static final String TAG_CLUSTER = "berth:cluster";

    /** What to read and how to judge it. */
    public record Options(String cluster, OptionalInt capacity, long holderGraceMillis, long intentBoundMillis) {
    }

    private final CloudProvider cloud;
    private final ClaimStore store;
    private final Calls calls;
    private final Ticker ticker;
    private final Options options;

    public FleetReader(CloudProvider cloud, ClaimStore store, Calls calls, Ticker ticker, Options options) {
        this.cloud = cloud;
        this.store = store;
        this.calls = calls;
        this.ticker = ticker;
        this.options = options;
    }

    public FleetView read() {
        var cluster = options.cluster();
        var tags = Map.of(TAG_CLUSTER, cluster);
        List<Volume> volumes = calls.run("list the volumes of cluster " + cluster,
                () -> cloud.findVolumes(new VolumeQuery(tags, Optional.empty())));
        List<Snapshot> snapshots;
        boolean snapshotsListed = true;
        try {
            snapshots = calls.run("list the snapshots of cluster " + cluster, () -> cloud.findSnapshots(tags));
        } catch (CloudException e) {
            if (e.reason() != CloudException.Reason.INVALID) {
                throw e;
            }
            snapshots = List.of();   // a provider without snapshots (bare metal)
            snapshotsListed = false;
        }
        var slots = new SlotRepository(store, new SlotKeys(cluster), new SlotCodec(), calls::run);
        var table = slots.readAll();
        GroupView group = calls.run("describe the group", cloud::group);
        int capacity = options.capacity().orElse(group.desiredCapacity());
        long now = ticker.nowMillis();
        Map<Integer, HolderStatus> holders = HolderLiveness.assess(table.slots(), group,
                ids -> calls.run("describe holders " + ids, () -> cloud.instanceStates(ids)), "", now,
                options.holderGraceMillis());
        var protection = Protection.of(table);
        var byId = volumes.stream().collect(Collectors.toMap(Volume::volumeId, v -> v, (a, b) -> a));
        var rows = new ArrayList<SlotRow>();
        var findings = new ArrayList<Finding>();
        for (var entry : table.slots()) {
            var r = entry.record();
            var status = holders.getOrDefault(entry.slot(), HolderStatus.NONE);
            Volume volume = r.volume() == null ? null : byId.get(r.volume().volumeId());
            if (r.volume() != null && volume == null) {
                volume = calls.run("describe volume " + r.volume().volumeId(), () -> cloud.describeVolume(r.volume().volumeId()))
                        .orElse(null);
            }
            String modification = null;
            if (r.volume() != null) {
                var m = calls.run("describe the modification of volume " + r.volume().volumeId(),
                        () -> cloud.describeVolumeModification(r.volume().volumeId()));
                if (m.isPresent() && m.get().state() != dev.berth.spi.VolumeModification.State.COMPLETED) {
                    modification = m.get().state().name().toLowerCase() + " from " + m.get().originalSizeGiB() + " to "
                            + m.get().targetSizeGiB() + " GiB";
                }
            }
            var attachedTo = volume == null ? "" : volume.attachments().stream()
                    .filter(a -> a.state() != dev.berth.spi.AttachmentState.DETACHED)
                    .map(a -> a.instanceId()).collect(Collectors.joining(","));
            rows.add(new SlotRow(entry.slot(), r.holder() == null ? null : r.holder().instanceId(), status, r.epoch(),
                    r.holder() == null ? 0 : r.holder().sinceMillis(),
                    r.volume() == null ? null : r.volume().volumeId(), r.volume() == null ? null : r.volume().zone(),
                    volume == null ? 0 : volume.sizeGiB(), attachedTo.isEmpty() ? null : attachedTo,
                    r.identity() == null ? null : r.identity().publicName(), r.identityBackup() != null, modification,
                    r.volumeIntent() == null ? null : r.volumeIntent().zone() + " " + r.volumeIntent().clientToken()));
            slotFindings(entry.slot(), r, status, volume, capacity, now, findings);
        }
        for (var corrupt : table.corrupt()) {
            findings.add(new Finding(Finding.Kind.CORRUPT_SLOT, -1, "slot record", corrupt.getMessage()));
        }
        for (var v : volumes) {
            if (protection.protects(v)) {
                continue;
            }
            int from = protection.retiredFrom(v.volumeId());
            if (from >= 0) {
                findings.add(new Finding(Finding.Kind.RETIRED_VOLUME, from, v.volumeId(), "volume " + v.volumeId() + " in "
                        + v.zone() + " was retired from slot " + from + " (a cross-zone move): berth gc deletes it"));
            } else {
                findings.add(new Finding(Finding.Kind.ORPHAN_VOLUME, -1, v.volumeId(), "volume " + v.volumeId() + " in "
                        + v.zone() + " carries the cluster tag but no slot names it: berth gc deletes it"));
            }
        }
        for (var s : snapshots) {
            if (!protection.names(s.snapshotId()) && GcPlanner.isMoveSnapshot(s)) {
                findings.add(new Finding(Finding.Kind.ORPHAN_SNAPSHOT, -1, s.snapshotId(), "snapshot " + s.snapshotId()
                        + " of volume " + s.volumeId() + " was made for a cross-zone move that is over: berth gc deletes it"));
            }
        }
        rows.sort(Comparator.comparingInt(SlotRow::slot));
        return new FleetView(cluster, capacity, now, table, holders, volumes, snapshots, snapshotsListed, protection, rows,
                findings);
    }

    private void slotFindings(int slot, SlotRecord r, HolderStatus status, Volume volume, int capacity, long now,
                              List<Finding> findings) {
        if (status == HolderStatus.GONE) {
            findings.add(new Finding(Finding.Kind.HOLDER_GONE, slot, r.holder().instanceId(), "slot " + slot
                    + " is held by " + r.holder().instanceId() + ", which is gone: berth release --slot " + slot
                    + " frees it (or the next claim takes it over)"));
        }
        if (volume != null) {
            for (var a : volume.attachments()) {
                if (a.state() != dev.berth.spi.AttachmentState.DETACHED && !r.heldBy(a.instanceId())) {
                    findings.add(new Finding(Finding.Kind.ATTACHED_ELSEWHERE, slot, volume.volumeId(), "volume "
                            + volume.volumeId() + " of slot " + slot + " is " + a.state().name().toLowerCase()
                            + " to instance " + a.instanceId() + ", which does not hold the slot"
                            + (r.holder() == null ? "" : " (" + r.holder().instanceId() + " does)")
                            + ": if that instance is gone, berth release --slot " + slot + " detaches it"));
                }
            }
        }
        if (r.volumeIntent() != null && r.holder() != null && now - r.holder().sinceMillis() > options.intentBoundMillis()) {
            findings.add(new Finding(Finding.Kind.STALE_INTENT, slot, r.volumeIntent().clientToken(), "slot " + slot
                    + " has had a volume being created in " + r.volumeIntent().zone() + " for "
                    + (now - r.holder().sinceMillis()) / 60_000 + " min: check the claim of " + r.holder().instanceId()
                    + " (journalctl -u berth) and the volume in the console"));
        }
        if (slot >= capacity && status.free() && (r.volume() != null || r.identity() != null)) {
            findings.add(new Finding(Finding.Kind.ABOVE_CAPACITY, slot, "slot " + slot, "slot " + slot
                    + " is above the capacity of " + capacity + " and unheld"
                    + (r.volume() == null ? "" : "; its volume " + r.volume().volumeId() + " stays until you name the slot"
                    + " to berth gc --slots-above-capacity")));
        }
    }
}
