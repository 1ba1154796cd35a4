package dev.berth.core.claim;

import dev.berth.core.slot.SlotEntry;
import dev.berth.core.slot.SlotIndex;
import dev.berth.core.slot.SlotSummary;
import dev.berth.core.slot.SlotRecord;
import dev.berth.core.slot.SlotRepository;
import dev.berth.spi.CloudProvider;
import dev.berth.spi.GroupMember;
import dev.berth.spi.GroupView;
import dev.berth.spi.InstanceIdentity;
import dev.berth.spi.InstanceState;
import dev.berth.spi.LifecycleState;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses a free slot and claims it by compare-and-set with a rising epoch (or creates the
 * next slot with put-if-absent). Ownership is decided by the store alone; describe calls
 * only say whether a holder still lives, and a stale answer only makes berth wait.
 */
public final class CasSlotSelection implements SlotSelection {
    public CasSlotSelection() {
    }

    @Override
    public Selection select(ClaimRun run, SlotIndex initial) {
        var settings = run.settings();
        var waits = settings.waits();
        var ticker = run.context().ticker();
        var log = run.context().log();
        var round = new Round(run.me(), run.slots(), run.context().cloud(), settings, ticker, log, run.calls(), initial,
                run.context().caches().hashes());
        return BoundedWait.forThe("a free slot of cluster " + settings.cluster(), ticker, log)
                // a backstop: each look applies the full policy itself once waits.fullSeconds (or, while a
                // holder is terminating, waits.holderSeconds) has passed
                .bound(BoundedWait.Bound.of(waits.fullMillis() >= waits.holderMillis() ? "waits.fullSeconds" : "waits.holderSeconds",
                        Math.max(waits.fullMillis(), waits.holderMillis()) + 10 * waits.pollMillis()))
                .backoff(waits.pollMillis(), waits.pollMillis())
                .until(round::look);
    }

    /** One look at the slots per poll; the wait's state (when it began, what was said) between looks. */
    private final class Round {
        private final InstanceIdentity me;
        private final SlotRepository slots;
        private final CloudProvider cloud;
        private final ClaimSettings settings;
        private final Ticker ticker;
        private final ClaimLog log;
        private final Calls calls;
        private final InstanceHashes hashes;
        private final long start;
        private SlotIndex table;
        /** Slots whose hint did not describe their record: read in full from now on. */
        private final Set<Integer> distrusted = new HashSet<>();
        private int conflicts;
        private Basis basis;
        private Judgement judged;
        private boolean told;
        private boolean looked;

        Round(InstanceIdentity me, SlotRepository slots, CloudProvider cloud, ClaimSettings settings, Ticker ticker,
              ClaimLog log, Calls calls, SlotIndex initial, InstanceHashes hashes) {
            this.me = me;
            this.slots = slots;
            this.cloud = cloud;
            this.settings = settings;
            this.ticker = ticker;
            this.log = log;
            this.calls = calls;
            this.hashes = hashes;
            this.table = initial;
            this.start = ticker.nowMillis();
        }

        BoundedWait.Poll<Selection> look() {
            var waits = settings.waits();
            if (looked) {
                table = slots.readIndex(distrusted);   // what changed while this instance waited
            }
            looked = true;
            while (true) {
                var mine = table.heldBy(me.instanceId());
                if (mine.isPresent()) {
                    var read = slots.complete(mine.get());
                    if (read.isPresent() && read.get().record().heldBy(me.instanceId())) {
                        return BoundedWait.Poll.done(new Selection.Held(read.get()));
                    }
                    if (read.isPresent()) {
                        distrust(read.get());   // the listing said "yours", the record does not
                    } else {
                        lostRace();             // it changed since the listing: list again
                    }
                    continue;
                }
                GroupView group = calls.run("describe the group", cloud::group);
                long now = ticker.nowMillis();
                var verdict = judge(group, now);
                int capacity = verdict.capacity();
                var candidates = verdict.candidates();
                if (!candidates.isEmpty()) {
                    var candidate = candidates.getFirst();
                    var current = candidate.existing().map(slots::complete);
                    if (current.isPresent() && current.get().isPresent()
                            && candidate.existing().get() instanceof SlotSummary summary && !summary.describes(current.get().get())) {
                        distrust(current.get().get());   // rank on the record, not on a hint that does not describe it
                        continue;
                    }
                    // a listed slot that changed since the listing is a lost race, like a failed compare-and-set
                    var won = current.isPresent() && current.get().isEmpty() ? Optional.<SlotEntry>empty()
                            : tryClaim(candidate.slot(), current.flatMap(c -> c), me, slots, settings, now);
                    if (won.isPresent()) {
                        log.info("claimed slot " + candidate.slot() + " at epoch " + won.get().record().epoch()
                                + (candidate.existing().isEmpty() ? " (new slot)" : ""));
                        return BoundedWait.Poll.done(new Selection.Held(won.get()));
                    }
                    lostRace();
                    continue;   // lost a race: look again at once, the table has changed
                }
                var detail = verdict.detail();
                boolean terminating = verdict.terminating();
                int running = verdict.running();
                // launch-before-terminate (an instance refresh with a maintenance policy above 100%, capacity
                // rebalancing): the group runs more instances than it wants while the old ones are still in
                // service; one of them will go and let go of its slot. Not full: wait as for a terminating holder.
                // With a capacity set in the config (bare metal: more hosts than slots on purpose) there is no such surplus.
                boolean surplus = settings.capacity().isEmpty() && running > group.desiredCapacity();
                long waited = now - start;
                if ((terminating || surplus) && waited < waits.holderMillis()) {
                    if (!told) {
                        log.info("every slot is held (" + detail + (surplus ? "; the group runs " + running
                                + " instances for a desired capacity of " + group.desiredCapacity() : "")
                                + "); waiting up to " + waits.holderMillis() / 1000 + " s (waits.holderSeconds) for "
                                + (terminating ? "a terminating holder" : "an old instance") + " to let go");
                        told = true;
                    }
                } else if (settings.whenFull() != FullPolicy.WAIT || waited >= waits.fullMillis()) {
                    applyFullPolicy(calls, settings.whenFull(), cloud, detail, log);
                    return BoundedWait.Poll.done(new Selection.NoSlot(new ClaimOutcome.Full(table.slots().size(), capacity,
                            settings.whenFull(), detail)));
                } else if (!told) {
                    log.info("no free slot (" + detail + "); waiting up to " + waits.fullMillis() / 1000
                            + " s (waits.fullSeconds)");
                    told = true;
                }
                return BoundedWait.Poll.pending(detail);
            }
        }

        /**
         * What this look makes of the table and the group: the status of every holder, the candidates in
         * order, and when there are none, why. A pure function of the table, the group, the states the
         * cloud gave for holders outside the group and (only through holders alive by their grace period)
         * the clock: while those stay the same, as they do poll after poll while every slot is held, the
         * last judgement is the answer. The describe calls are made as before, every look.
         */
        private Judgement judge(GroupView group, long now) {
            if (basis == null || basis.table() != table || !basis.group().equals(group)) {
                var members = HolderLiveness.membersById(group);
                basis = new Basis(table, group, members, HolderLiveness.unknownHolders(table.slots(), members, me.instanceId()));
            }
            var unknown = basis.unknown();
            Map<String, InstanceState> states = unknown.isEmpty() ? Map.of()
                    : calls.run("describe holders " + unknown, () -> cloud.instanceStates(unknown));
            if (judged != null && judged.basis() == basis && judged.states().equals(states)
                    && now >= judged.since() && now <= judged.assessment().validUntilMillis()) {
                return judged;
            }
            var assessment = HolderLiveness.assess(table.slots(), basis.members(), states, me.instanceId(), now,
                    settings.waits().holderGraceMillis());
            var status = assessment.status();
            int capacity = settings.capacity().orElse(group.desiredCapacity());
            var candidates = settings.forceSlot().isPresent()
                    ? forced(settings.forceSlot().getAsInt(), table, capacity)
                    : SlotRanking.rank(table, status, me, group, capacity, settings.crossZone(), hashes);
            judged = new Judgement(basis, states, now, assessment, capacity, candidates,
                    candidates.isEmpty() ? occupancy(capacity, status) : "",
                    status.containsValue(HolderStatus.TERMINATING), running(group));
            return judged;
        }

        /** A race lost (a write or a read at the listed version refused): list again, within waits.maxClaimConflicts. */
        private void lostRace() {
            conflicts++;
            if (conflicts >= settings.waits().maxClaimConflicts()) {
                throw new ClaimException(ClaimException.Kind.TIMEOUT, "lost " + conflicts
                        + " claim races in a row for cluster " + settings.cluster()
                        + "; the store is very busy or another tool writes the slots: check who writes under "
                        + slots.keys().slotsPrefix() + " (bound waits.maxClaimConflicts) and re-run");
            }
            table = slots.readIndex(distrusted);
        }

        /** A hint the store listed does not describe the record it stands for: that slot is read in full from now on. */
        private void distrust(SlotEntry record) {
            log.info("the hint of slot " + record.slot() + " in the store does not match its record;"
                    + " reading that slot in full from now on");
            distrusted.add(record.slot());
            table = table.with(record);
        }

        /** Members that run or are about to: neither on their way out nor parked in a warm pool. */
        private static int running(GroupView group) {
            int n = 0;
            for (var m : group.members()) {
                var state = m.lifecycleState();
                if (!state.isTerminating() && !state.isTerminated() && state != LifecycleState.WARMED
                        && state != LifecycleState.DETACHING && state != LifecycleState.DETACHED
                        && state != LifecycleState.STANDBY && state != LifecycleState.ENTERING_STANDBY) {
                    n++;
                }
            }
            return n;
        }

        /** What holds the slots, in words: live, terminating and untrusted are not the same wait. */
        private String occupancy(int capacity, Map<Integer, HolderStatus> status) {
            int live = 0;
            int terminating = 0;
            for (var s : status.values()) {
                live += s == HolderStatus.ALIVE ? 1 : 0;
                terminating += s == HolderStatus.TERMINATING ? 1 : 0;
            }
            var text = new StringBuilder(table.slots().size() + " slots for capacity " + capacity + ": "
                    + live + " held by a live instance");
            if (terminating > 0) {
                text.append(", ").append(terminating).append(" by a terminating one");
            }
            if (!table.corrupt().isEmpty()) {
                text.append(", ").append(table.corrupt().size()).append(" with a record berth cannot trust (slots ")
                        .append(table.corruptSlots()).append(": fix or delete them by hand)");
            }
            return text.toString();
        }
    }

    /** A table and a group, with what follows from them alone: the members by id, the holders outside the group. */
    private record Basis(SlotIndex table, GroupView group, Map<String, GroupMember> members, Set<String> unknown) {
    }

    /** What one look concluded (see {@code Round.judge}), from its basis, the holders' states, at time {@code since}. */
    private record Judgement(Basis basis, Map<String, InstanceState> states, long since, HolderLiveness.Assessment assessment,
                             int capacity, List<SlotRanking.Candidate> candidates, String detail, boolean terminating,
                             int running) {
    }

    /** Claims slot {@code slot}: creates it when {@code existing} is empty, else replaces that record. */
    private Optional<SlotEntry> tryClaim(int slot, Optional<SlotEntry> existing, InstanceIdentity me, SlotRepository slots,
                                         ClaimSettings settings, long now) {
        var holder = new SlotRecord.Holder(me.instanceId(), me.zone(), now);
        if (existing.isEmpty()) {
            var fresh = SlotRecord.fresh(settings.cluster(), slot).withHolder(holder, 1);
            return slots.create(withIntent(fresh, me, settings));
        }
        var current = existing.get();
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

    private static List<SlotRanking.Candidate> forced(int slot, SlotIndex table, int capacity) {
        if (table.corruptSlots().contains(slot)) {
            throw new ClaimException(ClaimException.Kind.REFUSED, "slot " + slot + " has a record berth cannot trust;"
                    + " --force does not overwrite it: fix or delete the record by hand first");
        }
        var existing = table.slot(slot);
        if (existing.isEmpty() && slot >= capacity) {
            throw new ClaimException(ClaimException.Kind.REFUSED, "--slot " + slot + " does not exist and is beyond the"
                    + " capacity of " + capacity + ": slots are numbered 0 to " + (capacity - 1));
        }
        return List.of(new SlotRanking.Candidate(slot, existing.isEmpty()
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
