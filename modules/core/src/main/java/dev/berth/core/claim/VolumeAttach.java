package dev.berth.core.claim;

import dev.berth.spi.AttachmentState;
import dev.berth.spi.CloudException;

/**
 * Step 5, attach: attaches the slot's volume here (or finds it attached by an earlier run). Two waits,
 * each on its own clock: first for a previous holder to let go ({@code waits.holderSeconds}), then,
 * from the moment the attach was accepted, for the attachment to complete ({@code waits.attachSeconds}).
 */
final class VolumeAttach {

    /**
     * A volume attached here.
     *
     * @param attachedNow whether this run attached it (rather than finding it attached): only such a
     *                    volume is let go when the claim turns out to be fenced
     * @param sizeGiB     its size as the cloud reports it; 0 when unknown
     */
    record Attachment(String deviceName, boolean attachedNow, int sizeGiB) {
    }

    private VolumeAttach() {
    }

    static Attachment attach(ClaimRun run, int slot, String volumeId, boolean resumed) {
        var me = run.me();
        var context = run.context();
        var calls = run.calls();
        var waits = run.settings().waits();
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
        boolean foundMine = false;
        if (attachedNow) {
            var accepted = BoundedWait.forThe("volume " + volumeId + " of slot " + slot + " to be free to attach to "
                            + me.instanceId(), context.ticker(), context.log())
                    .bound(BoundedWait.Bound.of("waits.holderSeconds", waits.holderMillis()))
                    .backoff(waits.pollMillis(), 15_000)
                    .hint("the volume is still attached elsewhere or not visible: check that its previous holder has"
                            + " terminated (or detach the volume by hand), then re-run")
                    .until(() -> {
                        try {
                            return BoundedWait.Poll.done(new Accepted(calls.run("attach volume " + volumeId,
                                    () -> context.cloud().attachVolume(volumeId)).deviceName(), false));
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
                                return BoundedWait.Poll.done(new Accepted(mine.get().deviceName(), true));
                            }
                            return BoundedWait.Poll.pending(e.getMessage());
                        }
                    });
            deviceName = accepted.deviceName();
            foundMine = accepted.foundMine();
        }
        var name = deviceName;
        boolean byThisRun = attachedNow && !foundMine;
        return BoundedWait.forThe("volume " + volumeId + " of slot " + slot + " to finish attaching to " + me.instanceId(),
                        context.ticker(), context.log())
                .bound(BoundedWait.Bound.of("waits.attachSeconds", waits.attachMillis()))
                .backoff(1_000, 10_000)
                .hint("check the volume in the console (stuck attaching?) and re-run")
                .until(() -> {
                    var seen = calls.run("describe volume " + volumeId, () -> context.cloud().describeVolume(volumeId));
                    var mine = seen.flatMap(v -> v.attachmentTo(me.instanceId()));
                    if (mine.isPresent() && mine.get().state() == AttachmentState.ATTACHED) {
                        return BoundedWait.Poll.done(new Attachment(name, byThisRun, seen.get().sizeGiB()));
                    }
                    return BoundedWait.Poll.pending(mine.map(a -> a.state().name().toLowerCase()).orElse("not attached")
                            + " to " + me.instanceId());
                });
    }

    /** The first wait's answer: the device name, and whether the volume was found attached here already. */
    private record Accepted(String deviceName, boolean foundMine) {
    }
}
