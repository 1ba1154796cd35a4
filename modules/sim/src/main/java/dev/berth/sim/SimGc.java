package dev.berth.sim;

import dev.berth.core.claim.Calls;
import dev.berth.core.fleet.FleetReader;
import dev.berth.core.fleet.GcPlanner;
import dev.berth.core.fleet.GcRun;
import dev.berth.core.slot.SlotRecord;
import dev.berth.spi.BerthException;
import dev.berth.spi.InstanceState;
import dev.berth.spi.LifecycleState;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The operator's {@code berth gc --apply} in the simulated world, run from a machine outside the group
 * while claims go on, and the invariant it must keep: nothing a slot record or an in-flight intent names
 * is ever deleted (checked against the store at the moment of each volume's delete, and whenever a slot
 * is written naming something deleted; World checks each snapshot's delete).
 */
final class SimGc {
    private final World world;
    final Set<String> deletedVolumes = new HashSet<>();
    private int runs;

    SimGc(World world) {
        this.world = world;
    }

    /** Starts one gc run now; {@code slotsAboveCapacity}: also remove the unheld slots above capacity. */
    void start(boolean slotsAboveCapacity) {
        var operator = new SimInstance("operator-" + (++runs), world.config.zones().getFirst(), world.now(), 0);
        operator.state.set(world.now(), InstanceState.RUNNING);
        operator.lifecycle.set(world.now(), LifecycleState.DETACHED);
        var node = new SimNode(world, operator);
        var proc = new Scheduler.Proc(operator.id + "#gc", () -> run(node, slotsAboveCapacity));
        node.proc = proc;
        world.scheduler.start(proc, world.now());
    }

    private void run(SimNode node, boolean slotsAboveCapacity) {
        var context = node.context();
        var waits = world.settings.waits();
        var calls = new Calls(node, waits, world.log());
        try {
            var view = new FleetReader(context.cloud(), context.store(), calls, node, new FleetReader.Options(
                    world.settings.cluster(), OptionalInt.empty(), waits.holderGraceMillis(), 3_600_000)).read();
            var named = new HashSet<Integer>();
            if (slotsAboveCapacity) {
                view.table().slots().forEach(e -> named.add(e.slot()));
            }
            var plan = GcPlanner.plan(view, named, Map.of(), 0);
            var done = new GcRun(context.cloud(), context.store(), calls, world.log(), world.settings.cluster()).apply(view, plan);
            world.trace.event(node.instance.id, "gc", plan.delete().size() + " to delete, "
                    + done.stream().filter(GcRun.Done::deleted).count() + " deleted", -1);
        } catch (BerthException e) {
            world.trace.event(node.instance.id, "gc fails", SimTrace.firstWords(e.getMessage()), -1);
        }
    }

    /** Before a volume is deleted: no slot record or in-flight intent may name it. */
    void checkVolume(String volumeId, String by) {
        for (var r : records()) {
            var intent = r.volumeIntent();
            boolean named = r.volume() != null && r.volume().volumeId().equals(volumeId);
            boolean source = intent != null && volumeId.equals(intent.sourceVolumeId());
            boolean produced = intent != null && volumeId.equals(world.ebs.volumeByToken.get(intent.clientToken()));
            if (named || source || produced) {
                world.trace.violation("gc never deletes what a slot or an in-flight intent names", r.slot(), List.of(by),
                        "volume " + volumeId + " deleted while slot " + r.slot() + " names it"
                                + (named ? " as its volume" : source ? " as the source of a move" : " through its intent"));
            }
        }
        deletedVolumes.add(volumeId);
    }

    /** After a slot is written: it must not name anything gc deleted. */
    void checkWritten(SlotRecord r, String by) {
        var intent = r.volumeIntent();
        if ((r.volume() != null && deletedVolumes.contains(r.volume().volumeId()))
                || (intent != null && intent.sourceSnapshotId() != null && world.ebs.snapshots.containsKey(intent.sourceSnapshotId())
                && world.ebs.snapshots.get(intent.sourceSnapshotId()).deleted)) {
            world.trace.violation("gc never deletes what a slot or an in-flight intent names", r.slot(), List.of(by),
                    "slot " + r.slot() + " was written naming a volume or snapshot gc deleted: " + r.volume() + " " + intent);
        }
    }

    private List<SlotRecord> records() {
        return world.slotView.all().stream().map(SlotView.Slot::record).toList();
    }
}
