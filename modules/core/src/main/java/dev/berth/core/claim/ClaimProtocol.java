package dev.berth.core.claim;

import dev.berth.core.slot.SlotEntry;
import dev.berth.core.slot.SlotKeys;
import dev.berth.core.slot.SlotRepository;
import dev.berth.spi.BlockDevice;
import java.util.Optional;

/**
 * The claim protocol of DESIGN.md, top to bottom: {@link #claimAs} makes one call per step, each to a
 * small class with one job. Each step is idempotent: a crash at any point followed by a re-run, here
 * or on another instance, converges without a second volume, a second identity or a second mkfs.
 * Nothing here changes during a claim: what one step learns reaches the next in its outcome.
 *
 * <ol>
 *   <li>{@link WhoAmI}, then resume a slot this instance already holds ({@link #holdSlot});</li>
 *   <li>to 4. {@link SlotSelection}: choose a free slot and claim it by compare-and-set; {@link ShrinkRefusal}
 *   stops a configuration smaller than the slot's volume before step 5 touches it;</li>
 *   <li value="5">{@link VolumeStep}: reuse, move ({@link VolumeMove}) or create ({@link VolumeCreation})
 *   the slot's volume, attach it ({@link VolumeAttach}), then {@link VolumeGrowth};</li>
 *   <li>{@link FilesystemStep}: find the device, mkfs only a blank never-formatted one, mount, grow;</li>
 *   <li>6b. {@link AddressStep}: when configured, the slot's Elastic IP and network interface, taken only by the rule of
 *   {@link AddressTakeover};</li>
 *   <li>{@link IdentityStep}: load, restore or generate the slot's identity;</li>
 *   <li>{@link SlotRecordStep} and {@link EnvFileStep}.</li>
 * </ol>
 */
public final class ClaimProtocol {
    private final ClaimSettings settings;
    private final ClaimContext context;
    private final SlotSelection selection;
    private final AddressTakeover takeover;

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
        this.takeover = takeover;
    }

    public ClaimOutcome claim() {
        // one retry layer and one slot repository for the whole run
        var calls = new Calls(context.ticker(), settings.waits(), context.log());
        var slots = new SlotRepository(context.store(), new SlotKeys(settings.cluster()), context.caches().codec(), calls::run);
        return switch (WhoAmI.ask(settings, context, calls)) {
            case WhoAmI.Outcome.Warming warming -> warming.deferred();
            case WhoAmI.Outcome.Ready ready -> {
                var run = new ClaimRun(settings, context, calls, slots, ready.me());
                yield claimAs(run, new AddressStep(settings, context, calls, slots, takeover, run::updateHeld));
            }
        };
    }

    /** Steps 1 to 4: a slot this claim holds (with whether it already held it: a re-run), or the full outcome. */
    private sealed interface Start {
        record Hold(SlotEntry held, boolean resumed) implements Start {
        }

        record NoSlot(ClaimOutcome.Full full) implements Start {
        }
    }

    /**
     * The steps in three stretches, each for what a fenced-off claim must give back when it stops there:
     * nothing yet, then the volume this run attached, then also the address this run took.
     */
    private ClaimOutcome claimAs(ClaimRun run, AddressStep addresses) {
        var me = run.me();
        boolean resumed;
        VolumeStep.Attached attached;
        try {
            switch (holdSlot(run.inStep("slot"))) {                                             // steps 1 to 4
                case Start.NoSlot none -> {
                    return none.full();
                }
                case Start.Hold hold -> {
                    resumed = hold.resumed();
                    attached = VolumeStep.ensure(run.inStep("volume"), hold.held(), resumed);     // step 5
                }
            }
        } catch (ClaimException e) {
            throw fencedOff(run, addresses, e, AddressStep.Taken.NOTHING, Optional.empty());
        }
        var attachedHere = attached.attachedNow() ? Optional.of(attached.volumeId()) : Optional.<String>empty();
        BlockDevice device;
        AddressStep.Result address;
        try {
            VolumeGrowth.grow(run.inStep("grow"), attached.held().slot(), attached.volumeId(), attached.sizeGiB());
            device = FilesystemStep.prepare(run.inStep("filesystem"), attached.held(), attached);    // step 6
            address = addresses.ensure(me, attached.held());                    // step 6b: gives back what it took if fenced
        } catch (ClaimException e) {
            throw fencedOff(run, addresses, e, AddressStep.Taken.NOTHING, attachedHere);
        }
        try {
            var held = address.held();
            var identity = IdentityStep.ensure(run.inStep("identity"), held);                       // step 7
            held = SlotRecordStep.record(run.inStep("record"), held, attached.volumeId(), identity);   // step 8
            var lease = new SlotLease(settings.cluster(), held.slot(), held.record().epoch(), me.instanceId(), me.zone(),
                    attached.volumeId(), device.path(), settings.volume().mountPoint(),
                    identity instanceof IdentityStep.Outcome.Ready ready ? Optional.of(ready.identity()) : Optional.empty(),
                    me.privateIp(), me.publicIp());
            EnvFileStep.write(run.inStep("env"), lease, address);
            run.log("slot " + lease.slot() + " ready: volume " + lease.volumeId() + " mounted at " + lease.mountPoint()
                    + lease.identity().map(i -> ", identity " + i.publicName()).orElse(""));
            return resumed ? new ClaimOutcome.Resumed(lease) : new ClaimOutcome.Claimed(lease);
        } catch (ClaimException e) {
            throw fencedOff(run, addresses, e, address.taken(), attachedHere);
        }
    }

    /**
     * Step 1, second half, to 4: a slot that already names this instance as holder is resumed (unless
     * an operator forces a slot); else {@link SlotSelection} chooses one and claims it.
     */
    private Start holdSlot(ClaimRun run) {
        var table = run.slots().readIndex(java.util.Set.of());
        table.corrupt().forEach(e -> run.log(e.getMessage()));
        // a listing's summary is completed by one read; a slot that changed since is looked at again by the selection
        var existing = table.heldBy(run.me().instanceId()).flatMap(run.slots()::complete)
                .filter(e -> e.record().heldBy(run.me().instanceId()));
        if (existing.isPresent() && settings.forceSlot().isEmpty()) {
            var held = existing.get();
            run.log("resuming slot " + held.slot() + " at epoch " + held.record().epoch() + " (this instance already holds it)");
            ShrinkRefusal.check(run, held, false);       // a slot held before this run stays held
            return new Start.Hold(held, true);
        }
        return switch (selection.select(run, table)) {
            case SlotSelection.Selection.NoSlot none -> new Start.NoSlot(none.full());
            case SlotSelection.Selection.Held h -> {
                ShrinkRefusal.check(run, h.entry(), true);  // a slot this run just took is let go again
                yield new Start.Hold(h.entry(), existing.isPresent());
            }
        };
    }

    /**
     * Fenced off: another instance holds the slot at a higher epoch (an operator's --force). Give back
     * the address this run took (the address step gives back what it took itself when fenced midway), and stop using the volume this run attached (not one it found attached on
     * a re-run), so that the new holder can attach it. Best effort: the error that fenced us is what
     * the operator must see, and it is returned to be thrown.
     */
    private ClaimException fencedOff(ClaimRun run, AddressStep addresses, ClaimException e, AddressStep.Taken addressTaken,
                                     Optional<String> attachedByThisRun) {
        if (e.kind() != ClaimException.Kind.FENCED) {
            return e;
        }
        addresses.undo(run.me(), addressTaken);
        attachedByThisRun.ifPresent(volumeId -> letGo(run, volumeId));
        return e;
    }

    private void letGo(ClaimRun run, String volumeId) {
        try {
            context.filesystems().unmount(settings.volume().mountPoint());
        } catch (RuntimeException e) {
            // detaching a mounted volume leaves it busy and can damage its filesystem: leave it attached
            run.log("could not unmount " + settings.volume().mountPoint() + " after being fenced (" + e.getMessage()
                    + "); volume " + volumeId + " stays attached: stop what uses it, unmount and detach it by hand");
            return;
        }
        try {
            run.calls().run("detach volume " + volumeId, () -> context.cloud().detachVolume(volumeId));
            run.log("detached volume " + volumeId + " from " + run.me().instanceId()
                    + ": this instance was fenced off its slot");
        } catch (RuntimeException e) {
            run.log("could not detach volume " + volumeId + " after being fenced: " + e.getMessage());
        }
    }
}
