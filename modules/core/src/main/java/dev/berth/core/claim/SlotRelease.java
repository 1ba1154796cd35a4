package dev.berth.core.claim;

import dev.berth.core.slot.SlotKeys;
import dev.berth.core.slot.SlotRepository;
import dev.berth.spi.AttachmentState;
import dev.berth.spi.CloudException;

/**
 * Lets go of this instance's slot cleanly (the keeper's job when the instance is told to
 * terminate): unmount, detach, wait until the cloud shows the volume detached, then clear
 * the holder by compare-and-set. The epoch stays; the next claim raises it.
 */
public final class SlotRelease {
    private final ClaimSettings settings;
    private final ClaimContext context;
    private final SlotRepository slots;
    private final Calls calls;

    public SlotRelease(ClaimSettings settings, ClaimContext context) {
        this.settings = settings;
        this.context = context;
        this.calls = new Calls(context.ticker(), settings.waits(), context.log());
        this.slots = new SlotRepository(context.store(), new SlotKeys(settings.cluster()), context.caches().codec(), calls::run);
    }

    /** Releases the slot this instance holds, once its volume is detached; returns its number, or -1 when it held none. */
    public int release() {
        return release(true);
    }

    /**
     * Releases the slot this instance holds: unmounts (a failed unmount stops here: a mounted volume is
     * never detached), detaches, and, when {@code awaitDetach}, waits until the cloud shows the volume
     * detached. Without the wait (a spot interruption's two minutes) the cloud's own VolumeInUse keeps
     * the next holder from attaching until the detach completes. Returns the slot, or -1 when none was held.
     */
    public int release(boolean awaitDetach) {
        var me = calls.run("read this instance's identity", () -> context.cloud().self());
        var held = slots.readAll().heldBy(me.instanceId());
        if (held.isEmpty()) {
            context.log().info("instance " + me.instanceId() + " holds no slot of cluster " + settings.cluster());
            return -1;
        }
        var entry = held.get();
        context.filesystems().unmount(settings.volume().mountPoint());
        if (entry.record().volume() != null && entry.record().volume().zone().equals(me.zone())) {
            var volumeId = entry.record().volume().volumeId();
            if (awaitDetach) {
                calls.run("detach volume " + volumeId, () -> context.cloud().detachVolume(volumeId));
                awaitDetached(me.instanceId(), entry.slot(), volumeId);
            } else {
                // the two-minute window: the volume is unmounted, and while EC2 still shows it attached here its
                // own VolumeInUse keeps the next holder out; a detach that fails now is finished by the reclaim
                try {
                    calls.run("detach volume " + volumeId, () -> context.cloud().detachVolume(volumeId));
                } catch (CloudException e) {
                    context.log().info("could not detach volume " + volumeId + " (" + e.getMessage() + "); releasing"
                            + " slot " + entry.slot() + " anyway: it is unmounted, and EC2 detaches it when it reclaims"
                            + " the instance");
                }
            }
        }
        if (entry.record().address() != null) {
            new AddressStep(settings, context, calls, slots, AddressTakeover.LIVENESS_RULE, (e, change) -> e)
                    .release(me, entry.record());
        }
        var released = slots.replace(entry, entry.record().withHolder(null, entry.record().epoch()));
        if (released.isEmpty()) {
            throw new ClaimException(ClaimException.Kind.FENCED, "slot " + entry.slot() + " changed while this instance"
                    + " released it: another instance holds it now; nothing more to release here");
        }
        context.log().info("released slot " + entry.slot() + " at epoch " + entry.record().epoch());
        return entry.slot();
    }

    private void awaitDetached(String instanceId, int slot, String volumeId) {
        BoundedWait.forThe("volume " + volumeId + " of slot " + slot + " to detach from " + instanceId,
                        context.ticker(), context.log())
                .bound(BoundedWait.Bound.of("waits.attachSeconds", settings.waits().attachMillis()))
                .backoff(1_000, 10_000)
                .hint("the slot stays held. Check for processes using " + settings.volume().mountPoint()
                        + " and the volume in the console, then run the release again")
                .until(() -> {
                    var seen = calls.run("describe volume " + volumeId, () -> context.cloud().describeVolume(volumeId));
                    var mine = seen.flatMap(v -> v.attachmentTo(instanceId));
                    if (mine.isEmpty() || mine.get().state() == AttachmentState.DETACHED) {
                        return BoundedWait.Poll.done(volumeId);
                    }
                    return BoundedWait.Poll.pending(mine.get().state().name().toLowerCase());
                });
    }
}
