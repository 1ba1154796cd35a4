package dev.berth.core.claim;

import dev.berth.core.slot.SlotEntry;
import dev.berth.core.slot.SlotRecord;
import dev.berth.core.slot.SlotRepository;
import dev.berth.core.slot.SlotTable;
import dev.berth.spi.CloudProvider;
import dev.berth.spi.GroupView;
import dev.berth.spi.InstanceIdentity;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses a free slot and claims it by compare-and-set with a rising epoch (or creates the
 * next slot with put-if-absent). Ownership is decided by the store alone; describe calls
 * only say whether a holder still lives, and a stale answer only makes berth wait.
 */
public final class CasSlotSelection implements SlotSelection {
    public CasSlotSelection() {
    }

    @Override
    public Selection select(InstanceIdentity me, SlotTable initial, SlotRepository slots, CloudProvider cloud, ClaimSettings settings,
                            Ticker ticker, ClaimLog log) {
        var waits = settings.waits();
        var calls = new Calls(ticker, waits.maxCallAttempts());
        long start = ticker.nowMillis();
        int conflicts = 0;
        boolean told = false;
        SlotTable table = initial;
        while (true) {
            var mine = table.heldBy(me.instanceId());
            if (mine.isPresent()) {
                return new Selection.Held(mine.get());
            }
            GroupView group = calls.run("describe the group", cloud::group);
            int capacity = settings.capacity().orElse(group.desiredCapacity());
            long now = ticker.nowMillis();
            Map<Integer, HolderStatus> status = HolderLiveness.assess(table, group,
                    ids -> calls.run("describe holders " + ids, () -> cloud.instanceStates(ids)),
                    me.instanceId(), now, waits.holderGraceMillis());
            var candidates = settings.forceSlot().isPresent()
                    ? forced(settings.forceSlot().getAsInt(), table, capacity)
                    : SlotRanking.rank(table, status, me, group, capacity, settings.crossZone());
            if (!candidates.isEmpty()) {
                var candidate = candidates.getFirst();
                var won = tryClaim(candidate, me, slots, settings, now);
                if (won.isPresent()) {
                    log.info("claimed slot " + candidate.slot() + " at epoch " + won.get().record().epoch()
                            + (candidate.existing().isEmpty() ? " (new slot)" : ""));
                    return new Selection.Held(won.get());
                }
                conflicts++;
                if (conflicts >= waits.maxClaimConflicts()) {
                    throw new ClaimException(ClaimException.Kind.TIMEOUT, "lost " + conflicts
                            + " claim races in a row for cluster " + settings.cluster()
                            + "; the store is very busy or another tool writes the slots: check who writes under "
                            + slots.keys().slotsPrefix() + " and re-run");
                }
                table = slots.readAll();
                continue;
            }
            boolean terminating = status.containsValue(HolderStatus.TERMINATING);
            long waited = now - start;
            if (terminating && waited < waits.holderMillis()) {
                if (!told) {
                    log.info("every slot is held; waiting for a terminating holder to let go");
                    told = true;
                }
            } else if (settings.whenFull() != FullPolicy.WAIT || waited >= waits.fullMillis()) {
                var detail = table.slots().size() + " slots for capacity " + capacity + ", every one held by a live instance"
                        + (table.corrupt().isEmpty() ? "" : "; " + table.corrupt().size() + " slot records cannot be trusted");
                applyFullPolicy(calls, settings.whenFull(), cloud, detail, log);
                return new Selection.NoSlot(new ClaimOutcome.Full(table.slots().size(), capacity, settings.whenFull(), detail));
            } else if (!told) {
                log.info("every slot is held by a live instance; waiting up to " + waits.fullMillis() / 1000 + " s");
                told = true;
            }
            ticker.sleep(waits.pollMillis() / 2 + ticker.jitter(waits.pollMillis()));
            table = slots.readAll();
        }
    }

    private Optional<SlotEntry> tryClaim(SlotRanking.Candidate candidate, InstanceIdentity me, SlotRepository slots,
                                         ClaimSettings settings, long now) {
        var holder = new SlotRecord.Holder(me.instanceId(), me.zone(), now);
        if (candidate.existing().isEmpty()) {
            var fresh = SlotRecord.fresh(settings.cluster(), candidate.slot()).withHolder(holder, 1);
            return slots.create(withIntent(fresh, me, settings));
        }
        var current = candidate.existing().get();
        var next = current.record().withHolder(holder, Math.addExact(current.record().epoch(), 1));
        return slots.replace(current, withIntent(next, me, settings));
    }

    /** A slot without a volume gets its volume's client token before any volume is created. */
    private static SlotRecord withIntent(SlotRecord record, InstanceIdentity me, ClaimSettings settings) {
        if (record.volume() != null || record.volumeIntent() != null) {
            return record;
        }
        var token = VolumeClientToken.of(record.cluster(), record.slot(), me.zone(), record.epoch());
        return record.withVolumeIntent(new SlotRecord.VolumeIntent(me.zone(), token,
                settings.volume().seedSnapshotId().orElse(null), null));
    }

    private static java.util.List<SlotRanking.Candidate> forced(int slot, SlotTable table, int capacity) {
        if (table.corruptSlots().contains(slot)) {
            throw new ClaimException(ClaimException.Kind.REFUSED, "slot " + slot + " has a record berth cannot trust;"
                    + " --force does not overwrite it: fix or delete the record by hand first");
        }
        var existing = table.slot(slot);
        if (existing.isEmpty() && slot >= capacity) {
            throw new ClaimException(ClaimException.Kind.REFUSED, "--slot " + slot + " does not exist and is beyond the"
                    + " capacity of " + capacity + ": slots are numbered 0 to " + (capacity - 1));
        }
        return java.util.List.of(new SlotRanking.Candidate(slot, existing.isEmpty()
                ? SlotRanking.Tier.NO_VOLUME : SlotRanking.Tier.SAME_ZONE_VOLUME, existing));
    }

    private static void applyFullPolicy(Calls calls, FullPolicy policy, CloudProvider cloud, String detail, ClaimLog log) {
        switch (policy) {
            case WAIT -> log.info("no slot became free: " + detail);
            case MARK_UNHEALTHY -> {
                log.info("no free slot (" + detail + "): marking this instance unhealthy so the group replaces it");
                calls.run("mark self unhealthy", () -> cloud.markSelfUnhealthy("berth: no free slot: " + detail));
            }
            case TERMINATE_SELF -> {
                log.info("no free slot (" + detail + "): terminating this instance, keeping the group's capacity");
                calls.run("terminate self", () -> cloud.terminateSelf("berth: no free slot: " + detail));
            }
        }
    }
}
