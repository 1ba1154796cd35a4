package dev.berth.core.claim;

import dev.berth.core.identity.IdentityBackup;
import dev.berth.core.slot.SlotCodec;
import dev.berth.core.slot.SlotEntry;
import dev.berth.core.slot.SlotKeys;
import dev.berth.core.slot.SlotRecord;
import dev.berth.core.slot.SlotRepository;
import dev.berth.spi.AttachmentState;
import dev.berth.spi.BlockDevice;
import dev.berth.spi.CloudException;
import dev.berth.spi.DeviceSignature;
import dev.berth.spi.FilesystemSpec;
import dev.berth.spi.IdentityException;
import dev.berth.spi.IdentityProvider;
import dev.berth.spi.IdentityState;
import dev.berth.spi.InstanceIdentity;
import dev.berth.spi.MountSpec;
import dev.berth.spi.NodeIdentity;
import dev.berth.spi.Snapshot;
import dev.berth.spi.SnapshotState;
import dev.berth.spi.Volume;
import dev.berth.spi.VolumeRequest;
import dev.berth.spi.VolumeState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The claim protocol of DESIGN.md, top to bottom. Each step is idempotent: a crash at any
 * point followed by a re-run, here or on another instance, converges without a second
 * volume, a second identity or a second mkfs.
 *
 * <ol>
 *   <li>{@link #whoAmI} and resume a slot this instance already holds;</li>
 *   <li>to 4. {@link SlotSelection}: choose a free slot and claim it by compare-and-set;</li>
 *   <li value="5">{@link #ensureVolume}: reuse, move or create the slot's volume, attach it;</li>
 *   <li>{@link #prepareFilesystem}: find the device, mkfs only a blank never-formatted one, mount, grow;</li>
 *   <li>6b. {@link AddressStep}: when configured, the slot's Elastic IP and network interface, taken only by the rule of
 *   {@link AddressTakeover};</li>
 *   <li>{@link #ensureIdentity}: load, restore or generate the slot's identity;</li>
 *   <li>{@link #recordSlot} and {@link #writeEnvFile}.</li>
 * </ol>
 */
public final class ClaimProtocol {
    private static final String TAG_CLUSTER = "berth:cluster";
    private static final String TAG_SLOT = "berth:slot";
    private static final String TAG_EPOCH = "berth:epoch";

    private final ClaimSettings settings;
    private final ClaimContext context;
    private final SlotSelection selection;
    private final SlotRepository slots;
    private final Calls calls;
    private final AddressStep addresses;

    public ClaimProtocol(ClaimSettings settings, ClaimContext context) {
        this(settings, context, new CasSlotSelection());
    }

    public ClaimProtocol(ClaimSettings settings, ClaimContext context, SlotSelection selection) {
        this(settings, context, selection, AddressTakeover.LIVENESS_RULE);
    }

    /** With another rule for taking a slot's address: only the simulator's broken variants pass one. */
    public ClaimProtocol(ClaimSettings settings, ClaimContext context, SlotSelection selection, AddressTakeover takeover) {
        this.settings = settings;
        this.context = context;
        this.selection = selection;
        this.calls = new Calls(context.ticker(), settings.waits(), context.log());
        this.slots = new SlotRepository(context.store(), new SlotKeys(settings.cluster()), new SlotCodec(), calls::run);
        this.addresses = new AddressStep(settings, context, calls, slots, takeover, this::updateHeldByMe);
    }

    public ClaimOutcome claim() {
        var me = whoAmI();
        var warming = warming(me);
        if (warming.isPresent()) {
            return warming.get();
        }
        try {
            return claimAs(me);
        } catch (ClaimException e) {
            if (e.kind() == ClaimException.Kind.FENCED) {
                addresses.undo(me);
                letGo(me);
            }
            throw e;
        }
    }

    /**
     * Fenced off: another instance holds the slot at a higher epoch (an operator's --force). Stop using
     * the volume here, so that the new holder can attach it. Best effort: the error that fenced us is
     * what the operator must see.
     */
    private void letGo(InstanceIdentity me) {
        if (attachedVolume == null) {
            return;   // fenced before this run attached anything, or the volume was found attached: not ours to let go
        }
        try {
            context.filesystems().unmount(settings.volume().mountPoint());
        } catch (RuntimeException e) {
            // detaching a mounted volume leaves it busy and can damage its filesystem: leave it attached
            log("could not unmount " + settings.volume().mountPoint() + " after being fenced (" + e.getMessage()
                    + "); volume " + attachedVolume + " stays attached: stop what uses it, unmount and detach it by hand");
            return;
        }
        try {
            calls.run("detach volume " + attachedVolume, () -> context.cloud().detachVolume(attachedVolume));
            log("detached volume " + attachedVolume + " from " + me.instanceId() + ": this instance was fenced off its slot");
        } catch (RuntimeException e) {
            log("could not detach volume " + attachedVolume + " after being fenced: " + e.getMessage());
        }
    }

    /** The volume this run attached itself (not one it found attached on a re-run), to let go of when fenced. */
    private String attachedVolume;

    private ClaimOutcome claimAs(InstanceIdentity me) {
        var table = slots.readAll();
        table.corrupt().forEach(e -> log(e.getMessage()));
        var existing = table.heldBy(me.instanceId());
        SlotEntry held;
        boolean resuming = existing.isPresent() && settings.forceSlot().isEmpty();
        if (resuming) {
            held = existing.get();
            log("resuming slot " + held.slot() + " at epoch " + held.record().epoch() + " (this instance already holds it)");
        } else {
            var selected = selection.select(me, table, slots, context.cloud(), settings, context.ticker(), context.log());
            switch (selected) {
                case SlotSelection.Selection.NoSlot none -> {
                    return none.full();
                }
                case SlotSelection.Selection.Held h -> held = h.entry();
            }
        }
        refuseShrink(me, held, resuming);
        var attached = ensureVolume(me, held, existing.isPresent());
        held = attached.held();
        growVolume(me, held.slot(), attached);
        var device = prepareFilesystem(held, attached);
        claimant = me;
        var address = addresses.ensure(me, held);
        held = address.held();
        var identity = ensureIdentity(held);
        held = recordSlot(me, held, attached.volumeId(), identity);
        var lease = new SlotLease(settings.cluster(), held.slot(), held.record().epoch(), me.instanceId(), me.zone(),
                attached.volumeId(), device.path(), settings.volume().mountPoint(), identity.map(Id::identity),
                me.privateIp(), me.publicIp());
        writeEnvFile(lease, address);
        log("slot " + lease.slot() + " ready: volume " + lease.volumeId() + " mounted at " + lease.mountPoint()
                + lease.identity().map(i -> ", identity " + i.publicName()).orElse(""));
        return existing.isPresent() ? new ClaimOutcome.Resumed(lease) : new ClaimOutcome.Claimed(lease);
    }

    // Step 1 ---------------------------------------------------------------------------------

    private InstanceIdentity whoAmI() {
        var me = calls.run("read this instance's identity", () -> context.cloud().self());
        log("instance " + me.instanceId() + " in zone " + me.zone() + ", cluster " + settings.cluster());
        return me;
    }

    /**
     * An instance warming in a warm pool ({@code Warmed:*}) never claims: Auto Scaling runs its user data
     * and then stops it, and a stopped instance would hold a slot. It claims when it enters service.
     */
    private Optional<ClaimOutcome> warming(InstanceIdentity me) {
        var state = calls.run("read this instance's lifecycle state", () -> context.cloud().selfLifecycleState());
        if (state.isEmpty() || state.get() != dev.berth.spi.LifecycleState.WARMED) {
            return Optional.empty();
        }
        var detail = "instance " + me.instanceId() + " is warming in a warm pool (Warmed:*): it will claim a slot of"
                + " cluster " + settings.cluster() + " when it enters service, when berth claim runs again";
        log(detail);
        return Optional.of(new ClaimOutcome.Deferred(state.get().awsName(), detail));
    }

    // Step 5 ---------------------------------------------------------------------------------

    /**
     * Step 5, first: a {@code volume.sizeGiB} smaller than the slot's volume is the operator's error (EBS cannot
     * shrink a volume), found before this claim touches the volume: nothing is attached, moved, snapshotted
     * or created. A slot this run has just claimed is let go again (holder cleared by compare-and-set, the raised
     * epoch kept, so nothing of this run can act on it later); a slot this instance already held (a re-run beside a
     * running workload) stays held, as it was. A volume as large as the seed snapshot is not an error: berth makes
     * volumes from a snapshot at least the snapshot's size. A volume no describe shows yet is not judged here.
     */
    private void refuseShrink(InstanceIdentity me, SlotEntry held, boolean resuming) {
        var ref = held.record().volume();
        int wanted = settings.volume().sizeGiB();
        if (ref == null) {
            return;
        }
        int size;
        try {
            var volume = calls.run("describe volume " + ref.volumeId(), () -> context.cloud().describeVolume(ref.volumeId()));
            if (volume.isEmpty() || volume.get().sizeGiB() <= wanted) {
                return;
            }
            size = volume.get().sizeGiB();
            var seed = settings.volume().seedSnapshotId();
            if (seed.isPresent() && size <= calls.run("describe snapshot " + seed.get(),
                    () -> context.cloud().describeSnapshot(seed.get())).map(Snapshot::sizeGiB).orElse(0)) {
                return;
            }
        } catch (CloudException e) {
            return;   // cannot tell now: the claim goes on, and a later one judges (step 5 keeps the size, never shrinks)
        }
        String letGo = "";
        if (!resuming) {
            updateHeld(me, held, r -> r.withHolder(null, r.epoch()));
            letGo = "; this claim let the slot go again untouched (epoch " + held.record().epoch() + ")";
        }
        throw new dev.berth.spi.ConfigException("volume.sizeGiB is " + wanted + " GiB but volume " + ref.volumeId()
                + " of slot " + held.slot() + " (zone " + ref.zone() + ") already has " + size + " GiB, and a volume"
                + " cannot shrink (EBS refuses it; berth never tries)" + letGo + ". Set volume.sizeGiB to at least " + size
                + " and re-run; to get a smaller volume, move the data to a new volume by hand");
    }

    /** The slot's volume, attached to this instance; {@code held} is the slot as last written. */
    record Attached(SlotEntry held, String volumeId, String deviceName, int sizeGiB) {
    }

    private Attached ensureVolume(InstanceIdentity me, SlotEntry held, boolean resumed) {
        var pending = held.record().volumeIntent();
        if (held.record().volume() == null && pending != null && !pending.zone().equals(me.zone())
                && pending.sourceSnapshotId() == null && !held.record().formatted()
                && settings.crossZone() != CrossZonePolicy.NEVER) {
            held = retireNeverRecordedVolume(me, held, pending);
        }
        var record = held.record();
        String volumeId;
        if (record.volume() != null && record.volume().zone().equals(me.zone())) {
            volumeId = record.volume().volumeId();
        } else if (record.volume() != null) {
            held = moveVolume(me, held);
            volumeId = held.record().volume().volumeId();
        } else if (record.volumeIntent() != null && !record.volumeIntent().zone().equals(me.zone())) {
            // A volume was being created in another zone when its holder died: it may exist there. Make it
            // real (the same client token returns it, or makes it), record it, and move it like any other.
            var intent = record.volumeIntent();
            if (settings.crossZone() == CrossZonePolicy.NEVER) {
                throw new ClaimException(ClaimException.Kind.REFUSED, "slot " + held.slot() + " has a volume being"
                        + " created in zone " + intent.zone() + " and this instance is in " + me.zone()
                        + "; the cross-zone policy is 'never'");
            }
            var there = createVolume(held.slot(), intent);
            var found = new SlotRecord.VolumeRef(there, intent.zone());
            held = updateHeld(me, held, r -> r.withVolume(found, r.retiredVolumes()));
            held = moveVolume(me, held);
            volumeId = held.record().volume().volumeId();
        } else {
            var intent = record.volumeIntent();
            if (intent == null) {
                var token = VolumeClientToken.of(settings.cluster(), held.slot(), me.zone(), record.epoch());
                intent = new SlotRecord.VolumeIntent(me.zone(), token, settings.volume().seedSnapshotId().orElse(null), null);
                var fresh = intent;
                held = updateHeld(me, held, r -> r.withVolumeIntent(fresh));
            }
            var made = createUsableVolume(me, held, intent);
            held = made.held();
            volumeId = made.volumeId();
            log("volume " + volumeId + " for slot " + held.slot() + " in " + me.zone()
                    + (intent.sourceSnapshotId() != null ? " from snapshot " + intent.sourceSnapshotId() : ""));
        }
        var attachment = attach(me, held.slot(), volumeId, resumed);
        if (attachment.attachedNow()) {
            attachedVolume = volumeId;
        }
        return new Attached(held, volumeId, attachment.deviceName(), attachment.sizeGiB());
    }

    /**
     * A blank volume being created in another zone when its holder died was never recorded, so
     * never used: moving it would make a volume from a blank snapshot, which berth never formats.
     * It is tagged and kept as retired, and the slot starts over in this zone.
     */
    private SlotEntry retireNeverRecordedVolume(InstanceIdentity me, SlotEntry held, SlotRecord.VolumeIntent intent) {
        var there = createVolume(held.slot(), intent);
        log("slot " + held.slot() + " has a never-recorded blank volume " + there + " in zone " + intent.zone()
                + ": retiring it and creating the slot's volume in " + me.zone());
        calls.run("tag the never-used volume " + there, () -> context.cloud().tag(there,
                Map.of("berth:retired", "never recorded; replaced in " + me.zone())));
        var retired = new ArrayList<>(held.record().retiredVolumes());
        retired.add(new SlotRecord.VolumeRef(there, intent.zone()));
        return updateHeld(me, held, r -> r.withVolume(null, retired));
    }

    private String createVolume(int slot, SlotRecord.VolumeIntent intent) {
        var v = settings.volume();
        var tags = new LinkedHashMap<String, String>();
        tags.put(TAG_CLUSTER, settings.cluster());
        tags.put(TAG_SLOT, Integer.toString(slot));
        tags.put("Name", settings.cluster() + "-slot-" + slot);
        int sizeGiB = v.sizeGiB();
        if (intent.sourceSnapshotId() != null) { // EC2 refuses a volume smaller than its snapshot
            var snapshotId = intent.sourceSnapshotId();
            var snapshot = calls.run("describe snapshot " + snapshotId, () -> context.cloud().describeSnapshot(snapshotId));
            sizeGiB = Math.max(sizeGiB, snapshot.map(Snapshot::sizeGiB).orElse(0));
        }
        var request = new VolumeRequest(intent.zone(), sizeGiB, v.type(), v.iops(), v.throughputMiBps(),
                v.encrypted(), v.kmsKeyId(), Optional.ofNullable(intent.sourceSnapshotId()), tags, intent.clientToken());
        try {
            return calls.run("create the volume of slot " + slot, () -> context.cloud().createVolume(request)).volumeId();
        } catch (CloudException e) {
            if (e.reason() != CloudException.Reason.TOKEN_MISMATCH) {
                throw e;
            }
            // The intent's zone and snapshot are recorded; only the configured size can differ (volume.sizeGiB changed
            // while the intent was pending). The volume made under the token is the slot's: use it; step 5 grows it.
            // The cloud says a volume exists under the token; describe calls may not show it yet.
            var made = BoundedWait.forThe("the volume made for slot " + slot + " under client token " + intent.clientToken()
                            + " to be visible in " + intent.zone(), context.ticker(), context.log())
                    .bound(BoundedWait.Bound.of("waits.attachSeconds", settings.waits().attachMillis()))
                    .backoff(1_000, 10_000)
                    .hint("find the volume tagged berth:slot=" + slot + " in " + intent.zone() + " in the console; if"
                            + " there are several, retire the extra ones (tag berth:retired) and re-run")
                    .until(() -> madeUnder(slot, intent).<BoundedWait.Poll<String>>map(BoundedWait.Poll::done)
                            .orElseGet(() -> BoundedWait.Poll.pending("not visible yet")));
            log("volume " + made + " was made for slot " + slot + " under client token " + intent.clientToken()
                    + " with other parameters (volume.sizeGiB changed?): using it");
            return made;
        }
    }

    /** How many creation intents one claim tries when each volume it makes goes to error. */
    private static final int MAX_CREATION_INTENTS = 3;

    /** A volume made for the slot, and the slot as last written (its intent may have been renewed). */
    /**
     * The volume a pending intent already made, when the cloud refuses its token for other parameters: the
     * one volume of the slot in the intent's zone that is not retired (a slot has at most one live volume per zone).
     */
    private Optional<String> madeUnder(int slot, SlotRecord.VolumeIntent intent) {
        var found = calls.run("find the volume of slot " + slot + " in " + intent.zone(), () -> context.cloud().findVolumes(
                new dev.berth.spi.VolumeQuery(Map.of(TAG_CLUSTER, settings.cluster(), TAG_SLOT, Integer.toString(slot)),
                        Optional.of(intent.zone()))));
        var candidates = found.stream()
                .filter(v -> !v.tags().containsKey("berth:retired"))
                .filter(v -> v.tags().getOrDefault("berth:client-token", intent.clientToken()).equals(intent.clientToken()))
                .filter(v -> v.state() != dev.berth.spi.VolumeState.ERROR && v.state() != dev.berth.spi.VolumeState.DELETING
                        && v.state() != dev.berth.spi.VolumeState.DELETED)
                .map(Volume::volumeId)
                .toList();
        return candidates.size() == 1 ? Optional.of(candidates.getFirst()) : Optional.empty();
    }

    private record Made(SlotEntry held, String volumeId) {
    }

    /**
     * Creates the slot's volume under its intent and waits until it is usable. A volume that can never
     * serve (it went to error or was deleted) would come back for ever under the same client token,
     * and a token the cloud refuses (used with other parameters: the configuration changed while the
     * intent was pending) never works: in both cases a new intent, with a token derived from the old
     * one, is recorded by compare-and-set and the volume made again, at most {@value #MAX_CREATION_INTENTS} times.
     */
    private Made createUsableVolume(InstanceIdentity me, SlotEntry held, SlotRecord.VolumeIntent intent) {
        for (int attempt = 1; ; attempt++) {
            String why;
            String dead = null;
            try {
                var volumeId = createVolume(held.slot(), intent);
                var state = awaitAvailable(me, held.slot(), volumeId);
                if (state.isEmpty()) {
                    return new Made(held, volumeId);
                }
                why = "volume " + volumeId + " went to state " + state.get().name().toLowerCase();
                dead = volumeId;
            } catch (CloudException e) {
                if (e.reason() != CloudException.Reason.TOKEN_MISMATCH) {
                    throw e;
                }
                why = "the cloud refused client token " + intent.clientToken() + " (" + e.getMessage() + ")";
            }
            if (attempt >= MAX_CREATION_INTENTS) {
                throw new ClaimException(ClaimException.Kind.REFUSED, "the volume of slot " + held.slot() + " could not be"
                        + " made " + attempt + " times (last: " + why + "): check the KMS key, the snapshot and the"
                        + " volume quota in " + me.zone() + ", then re-run");
            }
            var next = new SlotRecord.VolumeIntent(intent.zone(), VolumeClientToken.next(intent.clientToken()),
                    intent.sourceSnapshotId(), intent.sourceVolumeId());
            log(why + ": slot " + held.slot() + " gets a new creation intent (token " + next.clientToken() + ")");
            var retired = new ArrayList<>(held.record().retiredVolumes());
            if (dead != null) {
                var deadId = dead;
                retired.add(new SlotRecord.VolumeRef(deadId, intent.zone()));
                try {   // for the operator and for gc; a volume in error may refuse even this
                    calls.run("tag the dead volume " + deadId, () -> context.cloud().tag(deadId,
                            Map.of("berth:retired", "went to error; replaced under a new creation intent")));
                } catch (CloudException e) {
                    log("could not tag the dead volume " + deadId + " as retired: " + e.getMessage());
                }
            }
            held = updateHeld(me, held, r -> r.withVolume(r.volume(), retired).withVolumeIntent(next));
            intent = next;
        }
    }

    /**
     * Polls a volume this run created until the cloud shows it (describe calls lag) and it is
     * available or already attached here: no fixed settle time, and a directory volume is ready at once.
     * Returns the state of a volume that can never serve (error, deleting, deleted), else empty.
     */
    private Optional<VolumeState> awaitAvailable(InstanceIdentity me, int slot, String volumeId) {
        return BoundedWait.forThe("new volume " + volumeId + " of slot " + slot + " to become available", context.ticker(), context.log())
                .bound(BoundedWait.Bound.of("waits.attachSeconds", settings.waits().attachMillis()))
                .backoff(1_000, 10_000)
                .hint("check the volume in the console (stuck creating? out of capacity in " + me.zone()
                        + "?) and re-run; the same volume is reused")
                .until(() -> {
                    var seen = calls.run("describe volume " + volumeId, () -> context.cloud().describeVolume(volumeId));
                    if (seen.isEmpty()) {
                        return BoundedWait.Poll.pending("not visible yet");
                    }
                    var v = seen.get();
                    return switch (v.state()) {
                        case AVAILABLE, IN_USE -> BoundedWait.Poll.done(Optional.<VolumeState>empty());
                        case CREATING -> BoundedWait.Poll.pending("creating");
                        case ERROR, DELETING, DELETED -> BoundedWait.Poll.done(Optional.of(v.state()));
                    };
                });
    }

    /** A volume attached here, and whether this run attached it (rather than finding it attached). */
    record Attachment(String deviceName, boolean attachedNow, int sizeGiB) {
    }

    /**
     * Attaches (or finds attached) the volume. Two waits, each on its own clock: first for a
     * previous holder to let go ({@code waits.holderSeconds}), then, from the moment the attach
     * was accepted, for the attachment to complete ({@code waits.attachSeconds}).
     */
    private Attachment attach(InstanceIdentity me, int slot, String volumeId, boolean resumed) {
        String deviceName = null;
        if (resumed) {
            var seen = calls.run("describe volume " + volumeId, () -> context.cloud().describeVolume(volumeId));
            var mine = seen.flatMap(v -> v.attachmentTo(me.instanceId()));
            if (mine.isPresent() && mine.get().state() == AttachmentState.ATTACHED) {
                return new Attachment(mine.get().deviceName(), false, seen.get().sizeGiB());
            }
            if (mine.isPresent() && mine.get().state() == AttachmentState.ATTACHING) {
                deviceName = mine.get().deviceName();
            }
        }
        boolean attachedNow = deviceName == null;
        var foundMine = new String[1];
        if (attachedNow) {
            deviceName = BoundedWait.forThe("volume " + volumeId + " of slot " + slot + " to be free to attach to "
                            + me.instanceId(), context.ticker(), context.log())
                    .bound(BoundedWait.Bound.of("waits.holderSeconds", settings.waits().holderMillis()))
                    .backoff(settings.waits().pollMillis(), 15_000)
                    .hint("the volume is still attached elsewhere or not visible: check that its previous holder has"
                            + " terminated (or detach the volume by hand), then re-run")
                    .until(() -> {
                        try {
                            return BoundedWait.Poll.done(calls.run("attach volume " + volumeId,
                                    () -> context.cloud().attachVolume(volumeId)).deviceName());
                        } catch (CloudException e) {
                            if (e.reason() != CloudException.Reason.CONFLICT && e.reason() != CloudException.Reason.NOT_FOUND) {
                                throw e;
                            }
                            // in use by this very instance (a re-run whose first look was answered from before its
                            // earlier attach): not a previous holder to wait for
                            var mine = calls.run("describe volume " + volumeId, () -> context.cloud().describeVolume(volumeId))
                                    .flatMap(v -> v.attachmentTo(me.instanceId()))
                                    .filter(a -> a.state() == AttachmentState.ATTACHED || a.state() == AttachmentState.ATTACHING);
                            if (mine.isPresent()) {
                                foundMine[0] = mine.get().deviceName();
                                return BoundedWait.Poll.done(mine.get().deviceName());
                            }
                            return BoundedWait.Poll.pending(e.getMessage());
                        }
                    });
        }
        var name = deviceName;
        return BoundedWait.forThe("volume " + volumeId + " of slot " + slot + " to finish attaching to " + me.instanceId(),
                        context.ticker(), context.log())
                .bound(BoundedWait.Bound.of("waits.attachSeconds", settings.waits().attachMillis()))
                .backoff(1_000, 10_000)
                .hint("check the volume in the console (stuck attaching?) and re-run")
                .until(() -> {
                    var seen = calls.run("describe volume " + volumeId, () -> context.cloud().describeVolume(volumeId));
                    var mine = seen.flatMap(v -> v.attachmentTo(me.instanceId()));
                    if (mine.isPresent() && mine.get().state() == AttachmentState.ATTACHED) {
                        return BoundedWait.Poll.done(new Attachment(name, attachedNow && foundMine[0] == null,
                                seen.get().sizeGiB()));
                    }
                    return BoundedWait.Poll.pending(mine.map(a -> a.state().name().toLowerCase()).orElse("not attached")
                            + " to " + me.instanceId());
                });
    }

    /** Moves a slot's volume from another zone through a snapshot; the old volume is tagged, never deleted. */
    private SlotEntry moveVolume(InstanceIdentity me, SlotEntry held) {
        var source = held.record().volume();
        var intent = held.record().volumeIntent();
        if (intent == null || !intent.zone().equals(me.zone()) || intent.sourceSnapshotId() == null) {
            log("moving slot " + held.slot() + " from zone " + source.zone() + " to " + me.zone() + " through a snapshot");
            // the epoch too: the provider reuses a snapshot with these tags (one a crash left unrecorded), never an older move's
            var snapshotTags = Map.of(TAG_CLUSTER, settings.cluster(), TAG_SLOT, Integer.toString(held.slot()),
                    TAG_EPOCH, Long.toString(held.record().epoch()));
            // the live volume's snapshot, or (latest-snapshot, its zone unreachable) the slot's young periodic one
            var snapshot = new LatestSnapshotMove(settings, context, calls).choose(me, held, snapshotTags);
            var token = VolumeClientToken.of(settings.cluster(), held.slot(), me.zone(), held.record().epoch());
            var next = new SlotRecord.VolumeIntent(me.zone(), token, snapshot.snapshotId(), source.volumeId());
            held = updateHeld(me, held, r -> r.withVolumeIntent(next));
            intent = next;
        }
        var snapshotId = intent.sourceSnapshotId();
        var slot = held.slot();
        BoundedWait.forThe("snapshot " + snapshotId + " of volume " + source.volumeId() + " (slot " + slot + ") to complete",
                        context.ticker(), context.log())
                .bound(BoundedWait.Bound.of("waits.snapshotSeconds", settings.waits().snapshotMillis()))
                .backoff(settings.waits().pollMillis(), 30_000)
                .hint("re-run to keep waiting (the same snapshot is reused), or raise waits.snapshotSeconds")
                .until(() -> {
                    var snap = calls.run("describe snapshot " + snapshotId, () -> context.cloud().describeSnapshot(snapshotId));
                    if (snap.isPresent() && snap.get().state() == SnapshotState.COMPLETED) {
                        return BoundedWait.Poll.done(snap.get());
                    }
                    if (snap.isPresent() && snap.get().state() == SnapshotState.ERROR) {
                        throw new ClaimException(ClaimException.Kind.REFUSED, "snapshot " + snapshotId + " of volume "
                                + source.volumeId() + " (slot " + slot + ") failed: check the volume in zone "
                                + source.zone() + "; the slot keeps its old volume");
                    }
                    return BoundedWait.Poll.pending(snap.map(x -> x.state().name().toLowerCase()).orElse("not visible yet"));
                });
        var volumeId = createVolume(held.slot(), intent);
        try {
            calls.run("tag the old volume " + source.volumeId(), () -> context.cloud().tag(source.volumeId(),
                    Map.of("berth:retired", "moved to " + me.zone() + " as " + volumeId + " from " + snapshotId)));
        } catch (CloudException e) {
            // its zone may be down: the slot record lists it as retired, which is what keeps it from ever being used again
            log("could not tag the old volume " + source.volumeId() + " of slot " + slot + " as retired (" + e.getMessage()
                    + "); the slot record lists it as retired and berth never attaches it as the slot's volume again");
        }
        var retired = new ArrayList<>(held.record().retiredVolumes());
        retired.add(source);
        var moved = new SlotRecord.VolumeRef(volumeId, me.zone());
        return updateHeld(me, held, r -> r.withVolume(moved, retired));
    }

    /**
     * Step 5, last: the configuration asks for a larger volume than the slot has. ModifyVolume, then a
     * bounded wait until the new size is usable (optimizing or completed); step 6 grows the filesystem.
     * Never shrinks. A volume modified too recently (EBS: once per six hours) keeps its size for now.
     */
    private void growVolume(InstanceIdentity me, int slot, Attached attached) {
        int wanted = settings.volume().sizeGiB();
        var volumeId = attached.volumeId();
        if (attached.sizeGiB() <= 0 || attached.sizeGiB() == wanted) {
            return;
        }
        if (attached.sizeGiB() > wanted) {
            // refuseShrink stops a claim on a volume larger than the config before this point; a volume made here from
            // a larger snapshot, or one no describe showed then, keeps its size
            log("volume " + volumeId + " of slot " + slot + " has " + attached.sizeGiB() + " GiB, more than volume.sizeGiB "
                    + wanted + ": berth never shrinks a volume (keeping " + attached.sizeGiB() + " GiB); set volume.sizeGiB"
                    + " to at least " + attached.sizeGiB());
            return;
        }
        dev.berth.spi.VolumeModification started;
        try {
            started = calls.run("grow volume " + volumeId + " to " + wanted + " GiB",
                    () -> context.cloud().modifyVolume(volumeId, wanted));
        } catch (CloudException e) {
            if (e.reason() != CloudException.Reason.CONFLICT) {
                throw e;
            }
            log("volume " + volumeId + " of slot " + slot + " cannot grow to " + wanted + " GiB now (" + e.getMessage()
                    + "); it keeps " + attached.sizeGiB() + " GiB and grows at a later claim");
            return;
        }
        log("growing volume " + volumeId + " of slot " + slot + " from " + attached.sizeGiB() + " to " + wanted + " GiB");
        if (started.state().sizeUsable()) {
            return;
        }
        var done = BoundedWait.forThe("volume " + volumeId + " of slot " + slot + " to offer its new size of " + wanted + " GiB",
                        context.ticker(), context.log())
                .bound(BoundedWait.Bound.of("waits.attachSeconds", settings.waits().attachMillis()))
                .backoff(1_000, 15_000)
                .hint("check the volume's modification in the console (aws ec2 describe-volumes-modifications"
                        + " --volume-ids " + volumeId + ") and re-run; the filesystem grows once the volume has")
                .until(() -> {
                    var m = calls.run("describe the modification of volume " + volumeId,
                            () -> context.cloud().describeVolumeModification(volumeId));
                    if (m.isPresent() && (m.get().state().sizeUsable()
                            || m.get().state() == dev.berth.spi.VolumeModification.State.FAILED)) {
                        return BoundedWait.Poll.done(m.get());
                    }
                    return BoundedWait.Poll.pending(m.map(x -> x.state().name().toLowerCase()).orElse("not visible yet"));
                });
        if (done.state() == dev.berth.spi.VolumeModification.State.FAILED) {
            log("the modification of volume " + volumeId + " (slot " + slot + ") to " + wanted + " GiB failed: it keeps"
                    + " its size; check it in the console (describe-volumes-modifications) and re-run");
        }
    }

    // Step 6 ---------------------------------------------------------------------------------

    private BlockDevice prepareFilesystem(SlotEntry held, Attached attached) {
        var device = waitForDevice(held.slot(), attached);
        var signature = context.devices().probe(device);
        var volume = settings.volume();
        switch (signature) {
            case DeviceSignature.Blank blank -> {
                if (held.record().formatted()) {
                    throw new ClaimException(ClaimException.Kind.DATA_SAFETY, "slot " + held.slot() + " says its volume "
                            + attached.volumeId() + " was formatted, but device " + device.path() + " is blank."
                            + " This is the wrong disk or its data is gone; berth stops here and formats nothing."
                            + " Check the volume (berth device probe --volume-id " + attached.volumeId()
                            + ") and restore it from a snapshot");
                }
                refuseToFormatASnapshotsVolume(held, attached, device);
                log("device " + device.path() + " is blank: making " + volume.filesystem());
                context.filesystems().makeFilesystem(device, new FilesystemSpec(volume.filesystem(),
                        volume.mkfsArguments(), Optional.empty()));
            }
            case DeviceSignature.Recognized found when found.mountable() -> {
                if (!held.record().formatted()) {
                    log("device " + device.path() + " already holds " + found.type()
                            + " (a seed snapshot, or an earlier run): keeping it");
                }
            }
            case DeviceSignature.Recognized found -> throw new ClaimException(ClaimException.Kind.DATA_SAFETY,
                    "device " + device.path() + " of volume " + attached.volumeId() + " (slot " + held.slot()
                            + ") holds " + found.type() + ", which berth cannot mount and will never format over;"
                            + " inspect it (berth device probe " + device.path() + ") and clear it by hand if it is unwanted");
            case DeviceSignature.UnknownData data -> throw new ClaimException(ClaimException.Kind.DATA_SAFETY,
                    "device " + device.path() + " of volume " + attached.volumeId() + " (slot " + held.slot()
                            + ") holds data berth does not recognise (first non-zero byte at offset " + data.offset()
                            + "); berth will not format over it: inspect it with berth device probe " + device.path());
        }
        context.filesystems().mount(device, new MountSpec(volume.mountPoint(), volume.filesystem(), volume.mountOptions()));
        context.filesystems().grow(device, volume.mountPoint());
        return device;
    }

    /** A volume made from a snapshot holds the snapshot's data: one that reads blank is never formatted. */
    private void refuseToFormatASnapshotsVolume(SlotEntry held, Attached attached, BlockDevice device) {
        var intent = held.record().volumeIntent();
        var volumeId = attached.volumeId();
        var source = Optional.ofNullable(intent == null ? null : intent.sourceSnapshotId()).or(() -> calls.run(
                "describe volume " + volumeId, () -> context.cloud().describeVolume(volumeId)).flatMap(Volume::snapshotId));
        if (source.isPresent()) {
            throw new ClaimException(ClaimException.Kind.DATA_SAFETY, "volume " + volumeId + " of slot " + held.slot()
                    + " was created from snapshot " + source.get() + ", but device " + device.path() + " reads blank."
                    + " berth never makes a filesystem over a snapshot's data; check the snapshot and the device"
                    + " (berth device probe --volume-id " + volumeId + "). If the snapshot is truly empty, make the"
                    + " filesystem yourself (mkfs." + settings.volume().filesystem() + " " + device.path() + ") and re-run");
        }
    }

    private BlockDevice waitForDevice(int slot, Attached attached) {
        return BoundedWait.forThe("a local device for volume " + attached.volumeId() + " of slot " + slot
                        + " (attached as " + attached.deviceName() + ")", context.ticker(), context.log())
                .bound(BoundedWait.Bound.of("waits.deviceSeconds", settings.waits().deviceMillis()))
                .backoff(200, 5_000)
                .hint("check lsblk and the NVMe driver, then re-run")
                .until(() -> context.devices().resolve(attached.volumeId(), attached.deviceName())
                        .<BoundedWait.Poll<BlockDevice>>map(BoundedWait.Poll::done)
                        .orElseGet(() -> BoundedWait.Poll.pending("no device with the volume's serial yet")));
    }

    // Step 7 ---------------------------------------------------------------------------------

    /** The slot's identity, and its encrypted backup for the slot record. */
    record Id(NodeIdentity identity, String backup) {
    }

    private Optional<Id> ensureIdentity(SlotEntry held) {
        if (context.identity().isEmpty()) {
            return Optional.empty();
        }
        IdentityProvider provider = context.identity().get();
        var dir = settings.volume().mountPoint().resolve(settings.identity().directory());
        var recorded = held.record().identity();
        var slotName = "cluster " + settings.cluster() + " slot " + held.slot();
        switch (provider.load(dir)) {
            case IdentityState.Present present -> {
                var found = present.identity();
                if (recorded != null && !recorded.fingerprint().equals(found.fingerprint())) {
                    boolean sameName = recorded.publicName().equals(found.publicName());
                    throw new ClaimException(ClaimException.Kind.DATA_SAFETY, "the identity in " + dir + " (fingerprint "
                            + found.fingerprint() + (sameName ? "" : ", " + found.publicName()) + ") is not the identity of "
                            + slotName + " (fingerprint " + recorded.fingerprint()
                            + (sameName ? "; both are named " + recorded.publicName() + " but their keys differ"
                            : ", " + recorded.publicName()) + "). berth stops: running it would make a different node."
                            + " Check which volume is attached (berth device probe --volume-id ...)");
                }
                var backup = held.record().identityBackup() != null ? held.record().identityBackup() : backup(provider, dir, slotName);
                return Optional.of(new Id(found, backup));
            }
            case IdentityState.Absent absent -> {
                if (recorded == null) {
                    var generated = provider.generate(dir);
                    log("generated " + generated.kind() + " identity " + generated.publicName() + " for slot " + held.slot());
                    return Optional.of(new Id(generated, backup(provider, dir, slotName)));
                }
                if (settings.identity().policy() == IdentityPolicy.MANUAL) {
                    throw new ClaimException(ClaimException.Kind.REFUSED, "the identity of " + slotName + " ("
                            + recorded.publicName() + ") is not on its volume, and the identity policy is manual:"
                            + " berth never restores keys by itself. Restore it on purpose with"
                            + " 'berth identity restore --slot " + held.slot() + "', then re-run berth claim");
                }
                if (held.record().identityBackup() == null || context.keys().isEmpty()) {
                    throw new ClaimException(ClaimException.Kind.DATA_SAFETY, "the identity of " + slotName + " ("
                            + recorded.publicName() + ") is not on its volume and "
                            + (context.keys().isEmpty() ? "no key provider is configured to open its backup"
                            : "the slot has no backup of it") + ": restore the identity files into " + dir + " by hand");
                }
                var bundle = calls.run("open the identity backup of " + slotName,
                        () -> IdentityBackup.open(held.record().identityBackup(), context.keys().get(), slotName));
                try {
                    var restored = provider.restore(dir, bundle);
                    if (!restored.fingerprint().equals(recorded.fingerprint())) {
                        throw new IdentityException("the backup of " + slotName + " holds identity " + restored.publicName()
                                + ", not the slot's " + recorded.publicName() + ": the backup is not this slot's");
                    }
                    log("restored identity " + restored.publicName() + " of slot " + held.slot() + " from its backup");
                    return Optional.of(new Id(restored, held.record().identityBackup()));
                } finally {
                    bundle.destroy();
                }
            }
        }
    }

    private String backup(IdentityProvider provider, Path dir, String slotName) {
        if (context.keys().isEmpty()) {
            return null;
        }
        var bundle = provider.export(dir);
        try {
            return calls.run("seal the identity backup of " + slotName,
                    () -> IdentityBackup.seal(bundle, context.keys().get(), slotName));
        } finally {
            bundle.destroy();
        }
    }

    // Step 8 ---------------------------------------------------------------------------------

    private SlotEntry recordSlot(InstanceIdentity me, SlotEntry held, String volumeId, Optional<Id> identity) {
        var volume = new SlotRecord.VolumeRef(volumeId, me.zone());
        var ref = identity.map(i -> new SlotRecord.IdentityRef(i.identity().kind(), i.identity().publicName(),
                i.identity().fingerprint())).orElse(null);
        var backup = identity.map(Id::backup).orElse(null);
        var r = held.record();
        boolean unchanged = volume.equals(r.volume()) && r.volumeIntent() == null && r.formatted()
                && java.util.Objects.equals(ref, r.identity()) && java.util.Objects.equals(backup, r.identityBackup());
        if (unchanged) {
            return held;
        }
        return updateHeld(me, held, rec -> rec.withVolume(volume, rec.retiredVolumes()).withFormatted(true)
                .withIdentity(ref != null ? ref : rec.identity(), backup != null ? backup : rec.identityBackup()));
    }

    private void writeEnvFile(SlotLease lease, AddressStep.Result address) {
        var env = new LinkedHashMap<String, String>();
        env.put("BERTH_CLUSTER", lease.cluster());
        env.put("BERTH_SLOT", Integer.toString(lease.slot()));
        env.put("BERTH_EPOCH", Long.toString(lease.epoch()));
        env.put("BERTH_INSTANCE_ID", lease.instanceId());
        env.put("BERTH_ZONE", lease.zone());
        env.put("BERTH_VOLUME_ID", lease.volumeId());
        env.put("BERTH_DEVICE", lease.device().toString());
        env.put("BERTH_DATA_DIR", lease.mountPoint().toString());
        lease.identity().ifPresent(id -> {
            env.put("BERTH_IDENTITY_KIND", id.kind());
            env.put("BERTH_NODE_ID", id.publicName());
            env.put("BERTH_IDENTITY_FINGERPRINT", id.fingerprint());
            env.put("BERTH_IDENTITY_DIR", lease.mountPoint().resolve(settings.identity().directory()).toString());
        });
        lease.privateIp().ifPresent(ip -> env.put("BERTH_PRIVATE_IP", ip));
        lease.publicIp().ifPresent(ip -> env.put("BERTH_PUBLIC_IP", ip));
        address.publicIp().ifPresent(ip -> env.put("BERTH_SLOT_PUBLIC_IP", ip));
        address.privateIp().ifPresent(ip -> env.put("BERTH_SLOT_PRIVATE_IP", ip));
        address.interfaceId().ifPresent(id -> env.put("BERTH_INTERFACE_ID", id));
        if (address.privateIpChanged()) {
            env.put("BERTH_SLOT_PRIVATE_IP_CHANGED", "1");
        }
        context.envFiles().write(settings.envFile(), env);
    }

    // Fenced updates -------------------------------------------------------------------------

    /**
     * Writes a change to a slot this instance holds. If the record changed meanwhile and a
     * newer epoch or another holder is there, this instance has been fenced off and stops.
     */
    private SlotEntry updateHeld(InstanceIdentity me, SlotEntry held, UnaryOperator<SlotRecord> change) {
        for (int attempt = 0; attempt < 5; attempt++) {
            var written = slots.replace(held, change.apply(held.record()));
            if (written.isPresent()) {
                return written.get();
            }
            var now = slots.read(held.slot());
            if (now.isEmpty() || !now.get().record().heldBy(me.instanceId())
                    || now.get().record().epoch() != held.record().epoch()) {
                throw fenced(held, now);
            }
            held = now.get();
        }
        throw new ClaimException(ClaimException.Kind.TIMEOUT, "slot " + held.slot() + " kept changing under this"
                + " instance while it held it: another process writes the record; check for a second berth on this instance");
    }

    /** The instance of this claim, once known: the address step writes through {@link #updateHeld} as it. */
    private InstanceIdentity claimant;

    private SlotEntry updateHeldByMe(SlotEntry held, UnaryOperator<SlotRecord> change) {
        return updateHeld(claimant, held, change);
    }

    private ClaimException fenced(SlotEntry held, Optional<SlotEntry> now) {
        var by = now.map(e -> e.record().holder() == null ? "nobody (released)"
                : e.record().holder().instanceId() + " at epoch " + e.record().epoch()).orElse("nobody (deleted)");
        return new ClaimException(ClaimException.Kind.FENCED, "slot " + held.slot() + " is now held by " + by
                + ", not by this instance at epoch " + held.record().epoch() + ": this instance is fenced off and"
                + " must not use the slot's volume or identity. Stop the workload here");
    }

    private void log(String message) {
        context.log().info(message);
    }
}
