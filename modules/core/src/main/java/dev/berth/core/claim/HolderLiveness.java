package dev.berth.core.claim;

import dev.berth.core.slot.SlotListing;
import dev.berth.core.slot.SlotRecord;
import dev.berth.spi.GroupMember;
import dev.berth.spi.GroupView;
import dev.berth.spi.InstanceState;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Decides, for every slot, whether its holder still lives. Describe calls lag, but only in
 * one direction that matters: a terminated instance never shows as running again, so a
 * stale answer can only make berth wait longer, never take a live holder's slot. A holder
 * the cloud does not know at all counts as alive until the grace period after its claim has
 * passed (a just-launched instance may not be visible yet).
 */
public final class HolderLiveness {
    private HolderLiveness() {
    }

    /**
     * What one assessment found: each slot's status, and until when it holds as long as the table,
     * the group and the described states stay the same (a holder nobody knows counts as alive only
     * until its grace period ends; {@link Long#MAX_VALUE} when no status depends on the clock).
     */
    public record Assessment(Map<Integer, HolderStatus> status, long validUntilMillis) {
    }

    public static Map<Integer, HolderStatus> assess(
            Collection<? extends SlotListing> slots,
            GroupView group,
            Function<Collection<String>, Map<String, InstanceState>> instanceStates,
            String self,
            long nowMillis,
            long graceMillis) {
        var members = membersById(group);
        var unknown = unknownHolders(slots, members, self);
        Map<String, InstanceState> states = unknown.isEmpty() ? Map.of() : instanceStates.apply(unknown);
        return assess(slots, members, states, self, nowMillis, graceMillis).status();
    }

    /** The group's members by instance id (the first of a duplicated id). */
    static Map<String, GroupMember> membersById(GroupView group) {
        var members = new HashMap<String, GroupMember>();
        for (var m : group.members()) {
            members.putIfAbsent(m.instanceId(), m);
        }
        return members;
    }

    /** The holders, other than {@code self}, that are not members of the group: whose state must be described. */
    static Set<String> unknownHolders(Collection<? extends SlotListing> slots, Map<String, GroupMember> members, String self) {
        var unknown = new TreeSet<String>();
        for (var entry : slots) {
            var holder = entry.holder();
            if (holder != null && !holder.instanceId().equals(self) && !members.containsKey(holder.instanceId())) {
                unknown.add(holder.instanceId());
            }
        }
        return unknown;
    }

    /** Every slot's status, given the group's members and the described states of the {@link #unknownHolders}. */
    static Assessment assess(Collection<? extends SlotListing> slots, Map<String, GroupMember> members,
                             Map<String, InstanceState> states, String self, long now, long grace) {
        var result = new HashMap<Integer, HolderStatus>();
        long validUntil = Long.MAX_VALUE;
        for (var entry : slots) {
            var status = status(entry, members, states, self, now, grace);
            var holder = entry.holder();
            if (status == HolderStatus.ALIVE && !members.containsKey(holder.instanceId()) && states.get(holder.instanceId()) == null) {
                validUntil = Math.min(validUntil, holder.sinceMillis() + grace);   // alive by its grace period only
            }
            result.put(entry.slot(), status);
        }
        return new Assessment(result, validUntil);
    }

    private static HolderStatus status(SlotListing entry, Map<String, GroupMember> members, Map<String, InstanceState> states,
                                       String self, long now, long grace) {
        SlotRecord.Holder holder = entry.holder();
        if (holder == null) {
            return HolderStatus.NONE;
        }
        if (holder.instanceId().equals(self)) {
            return HolderStatus.SELF;
        }
        var member = members.get(holder.instanceId());
        if (member != null) {
            if (member.lifecycleState().isTerminated()) {
                return HolderStatus.GONE;
            }
            return member.lifecycleState().isTerminating() ? HolderStatus.TERMINATING : HolderStatus.ALIVE;
        }
        var state = states.get(holder.instanceId());
        if (state == null) {
            return now - holder.sinceMillis() > grace ? HolderStatus.GONE : HolderStatus.ALIVE;
        }
        return switch (state) {
            case TERMINATED -> HolderStatus.GONE;
            case SHUTTING_DOWN -> HolderStatus.TERMINATING;
            default -> HolderStatus.ALIVE;
        };
    }
}
