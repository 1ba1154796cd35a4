package dev.berth.core.claim;

import dev.berth.core.slot.SlotCodec;
import dev.berth.core.slot.SlotKeys;
import dev.berth.core.slot.SlotRepository;
import dev.berth.spi.AttachmentState;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.CloudProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code berth release --slot N}: an operator frees a slot whose holder is gone for good. The holder
 * is cleared and the epoch raised in one compare-and-set, as claim's {@code --force} does, so a late
 * holder (a paused process that wakes up) is fenced off at its next write; then the slot's volume is
 * detached from any instance that is gone. A live holder is released only with {@code force}: it is
 * fenced the same way, and its volume stays attached until it lets go or terminates.
 */
public final class OperatorRelease {

    /** What the release did. */
    public record Released(int slot, long epoch, String previousHolder, HolderStatus previousState, List<String> detached,
                           List<String> stillAttached) {
    }

    private final CloudProvider cloud;
    private final SlotRepository slots;
    private final Calls calls;
    private final Ticker ticker;
    private final ClaimSettings.Waits waits;
    private final String cluster;

    public OperatorRelease(CloudProvider cloud, ClaimStore store, String cluster, ClaimSettings.Waits waits, Ticker ticker,
                           ClaimLog log) {
        this.cloud = cloud;
        this.calls = new Calls(ticker, waits, log);
        this.slots = new SlotRepository(store, new SlotKeys(cluster), new SlotCodec(), calls::run);
        this.ticker = ticker;
        this.waits = waits;
        this.cluster = cluster;
    }

    public Released release(int slot, boolean force) {
        var table = slots.readAll();
        if (table.corruptSlots().contains(slot)) {
            throw new ClaimException(ClaimException.Kind.REFUSED, "slot " + slot + " of cluster " + cluster + " has a record"
                    + " berth cannot read; release does not overwrite it: fix or delete " + slots.keys().slot(slot) + " by hand");
        }
        var entry = table.slot(slot).orElseThrow(() -> new ClaimException(ClaimException.Kind.REFUSED, "slot " + slot
                + " of cluster " + cluster + " does not exist: berth status lists the slots there are"));
        var group = calls.run("describe the group", cloud::group);
        var status = HolderLiveness.assess(table.slots(), group, ids -> calls.run("describe holders " + ids,
                () -> cloud.instanceStates(ids)), "", ticker.nowMillis(), waits.holderGraceMillis()).get(slot);
        var record = entry.record();
        var holder = record.holder() == null ? null : record.holder().instanceId();
        if (!status.free() && !force) {
            throw new ClaimException(ClaimException.Kind.REFUSED, "slot " + slot + " is held by " + holder + ", which is "
                    + status.name().toLowerCase() + ": release refuses to take a slot from a live holder. If you know it"
                    + " is dead or must stop, run berth release --slot " + slot + " --force --yes (it is fenced off)");
        }
        var written = slots.replace(entry, record.withHolder(null, Math.addExact(record.epoch(), 1)));
        if (written.isEmpty()) {
            throw new ClaimException(ClaimException.Kind.TIMEOUT, "slot " + slot + " changed while it was being released"
                    + " (claimed or released by someone else): run berth status and try again");
        }
        var detached = new ArrayList<String>();
        var still = new ArrayList<String>();
        if (record.volume() != null) {
            var volumeId = record.volume().volumeId();
            var seen = calls.run("describe volume " + volumeId, () -> cloud.describeVolume(volumeId));
            for (var a : seen.map(v -> v.attachments()).orElse(List.of())) {
                if (a.state() == AttachmentState.DETACHED) {
                    continue;
                }
                var states = calls.run("describe instance " + a.instanceId(), () -> cloud.instanceStates(List.of(a.instanceId())));
                var state = states.get(a.instanceId());
                boolean gone = state == null || state == dev.berth.spi.InstanceState.TERMINATED
                        || (a.instanceId().equals(holder) && status == HolderStatus.GONE);
                if (gone) {
                    calls.run("detach volume " + volumeId + " from " + a.instanceId(),
                            () -> cloud.detachVolumeFrom(volumeId, a.instanceId()));
                    detached.add(volumeId + " from " + a.instanceId());
                } else {
                    still.add(volumeId + " on " + a.instanceId());
                }
            }
        }
        return new Released(slot, written.get().record().epoch(), holder, status, detached, still);
    }
}
