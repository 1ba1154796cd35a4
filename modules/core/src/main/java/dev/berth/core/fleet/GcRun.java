package dev.berth.core.fleet;

import dev.berth.core.claim.Calls;
import dev.berth.core.claim.ClaimLog;
import dev.berth.core.slot.SlotCodec;
import dev.berth.core.slot.SlotKeys;
import dev.berth.core.slot.SlotRecord;
import dev.berth.core.slot.SlotRepository;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.CloudException;
import dev.berth.spi.CloudProvider;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * {@code berth gc --apply}: deletes what a {@link GcPlan} lists, safe while claims run. A slot above
 * capacity is emptied first (no volume, no identity, its epoch raised), by compare-and-set against the
 * version gc read (a slot claimed meanwhile is kept, and so is its volume); before each volume or snapshot the slot table is read again and anything a
 * slot or an intent names by now is kept. A volume that turns out attached is kept (EC2 refuses too).
 */
public final class GcRun {

    /** What happened to one item. */
    public record Done(GcPlan.Item item, boolean deleted, String note) {
    }

    private final CloudProvider cloud;
    private final ClaimStore store;
    private final Calls calls;
    private final ClaimLog log;
    private final String cluster;

    public GcRun(CloudProvider cloud, ClaimStore store, Calls calls, ClaimLog log, String cluster) {
        this.cloud = cloud;
        this.store = store;
        this.calls = calls;
        this.log = log;
        this.cluster = cluster;
    }

    public List<Done> apply(FleetView view, GcPlan plan) {
        var slots = new SlotRepository(store, new SlotKeys(cluster), new SlotCodec(), calls::run);
        var done = new ArrayList<Done>();
        var keptSlots = new HashSet<Integer>();
        for (var item : plan.delete()) {
            if (item.kind() != GcPlan.Kind.SLOT) {
                continue;
            }
            var read = view.table().slot(item.slot()).orElseThrow();
            // Emptied, not deleted: the epoch keeps rising, so a slot made again later never repeats an old
            // volume's client token (cluster, slot, zone, epoch), which EC2 would answer with the deleted volume.
            // the slot's network address stays the slot's (gc never releases an address): a later claim reuses it
            // its old volume is retired (never the slot's again: the operator dropped its data), so that a volume gc
            // cannot delete now (its zone is down) is never taken for the slot's when the slot is claimed again
            var retired = new java.util.ArrayList<>(read.record().retiredVolumes());
            if (read.record().volume() != null) {
                retired.add(read.record().volume());
            }
            var emptied = SlotRecord.fresh(cluster, item.slot()).withHolder(null, Math.addExact(read.record().epoch(), 1))
                    .withVolume(null, retired).withAddress(read.record().address());
            if (slots.replace(read, emptied).isPresent()) {
                log.info("emptied slot " + item.slot() + " (above capacity): no volume, no identity, epoch "
                        + emptied.epoch());
                done.add(new Done(item, true, "emptied"));
            } else {
                keptSlots.add(item.slot());
                done.add(new Done(item, false, "kept: the slot changed since gc read it (claimed again?)"));
            }
        }
        for (var item : plan.delete()) {
            if (item.kind() == GcPlan.Kind.SLOT) {
                continue;
            }
            if (item.kind() == GcPlan.Kind.VOLUME && keptSlots.contains(item.slot())) {
                done.add(new Done(item, false, "kept: its slot was kept"));
                continue;
            }
            var now = Protection.of(slots.readAll());
            try {
                if (item.kind() == GcPlan.Kind.VOLUME) {
                    var seen = calls.run("describe volume " + item.id(), () -> cloud.describeVolume(item.id()));
                    if (seen.isPresent() && (now.protects(seen.get()) || GcPlanner.attached(seen.get()))) {
                        done.add(new Done(item, false, "kept: a slot names it or it is attached, by now"));
                        continue;
                    }
                    calls.run("delete volume " + item.id(), () -> cloud.deleteVolume(item.id()));
                } else {
                    if (now.names(item.id())) {
                        done.add(new Done(item, false, "kept: a slot's intent names it, by now"));
                        continue;
                    }
                    calls.run("delete snapshot " + item.id(), () -> cloud.deleteSnapshot(item.id()));
                }
                log.info("deleted " + item.kind().text() + " " + item.id() + " (" + item.reason() + ")");
                done.add(new Done(item, true, "deleted"));
            } catch (CloudException e) {
                done.add(new Done(item, false, "not deleted: " + e.getMessage()));
            }
        }
        return done;
    }
}
