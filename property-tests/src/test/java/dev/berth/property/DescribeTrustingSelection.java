package dev.berth.property;

import dev.berth.core.claim.ClaimOutcome;
import dev.berth.core.claim.ClaimRun;
import dev.berth.core.claim.ClaimSettings;
import dev.berth.core.claim.SlotSelection;
import dev.berth.core.claim.Ticker;
import dev.berth.core.slot.SlotEntry;
import dev.berth.core.slot.SlotRecord;
import dev.berth.core.slot.SlotRepository;
import dev.berth.core.slot.SlotIndex;
import dev.berth.spi.InstanceIdentity;
import dev.berth.spi.VolumeQuery;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * TEST ONLY, deliberately broken: the slot selection of the tools berth replaces. It trusts
 * a describe call ("this volume is unattached, so its slot is free") and then writes itself
 * in as holder whatever the record says (a read followed by an overwrite: no real
 * compare-and-set decides anything). The simulator must catch it.
 */
final class DescribeTrustingSelection implements SlotSelection {

    @Override
    public Selection select(ClaimRun run, SlotIndex table) {
        var me = run.me();
        var slots = run.slots();
        var cloud = run.context().cloud();
        var settings = run.settings();
        var ticker = run.context().ticker();
        var group = cloud.group();
        int capacity = settings.capacity().orElse(group.desiredCapacity());
        var volumes = cloud.findVolumes(new VolumeQuery(Map.of("berth:cluster", settings.cluster()), Optional.of(me.zone())));
        for (var volume : volumes.stream().sorted(Comparator.comparing(v -> v.volumeId())).toList()) {
            var slotTag = volume.tags().get("berth:slot");
            if (slotTag != null && volume.attachments().isEmpty()) {
                return new Selection.Held(overwrite(slots, me, Integer.parseInt(slotTag), settings, ticker));
            }
        }
        int next = table.slots().size();
        if (next < capacity) {
            return new Selection.Held(overwrite(slots, me, next, settings, ticker));
        }
        return new Selection.NoSlot(new ClaimOutcome.Full(table.slots().size(), capacity, settings.whenFull(), "no volume looked free"));
    }

    /** Becomes the holder no matter what: create, or read and replace until the write lands. */
    private static SlotEntry overwrite(SlotRepository slots, InstanceIdentity me, int slot, ClaimSettings settings, Ticker ticker) {
        var holder = new SlotRecord.Holder(me.instanceId(), me.zone(), ticker.nowMillis());
        while (true) {
            var current = slots.read(slot);
            if (current.isEmpty()) {
                var fresh = SlotRecord.fresh(settings.cluster(), slot).withHolder(holder, 1)
                        .withVolumeIntent(new SlotRecord.VolumeIntent(me.zone(), "broken-" + slot + "-" + me.instanceId().substring(2),
                                null, null));
                var created = slots.create(fresh);
                if (created.isPresent()) {
                    return created.get();
                }
                continue;
            }
            var record = current.get().record();
            var next = record.withHolder(holder, record.epoch() + 1);
            if (next.volume() == null && next.volumeIntent() == null) {
                next = next.withVolumeIntent(new SlotRecord.VolumeIntent(me.zone(), "broken-" + slot + "-"
                        + me.instanceId().substring(2), null, null));
            }
            var written = slots.replace(current.get(), next);
            if (written.isPresent()) {
                return written.get();
            }
        }
    }
}
