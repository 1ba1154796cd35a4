package dev.berth.core.claim;

import dev.berth.core.slot.SlotListing;
import dev.berth.core.slot.SlotRecord;
import dev.berth.spi.GroupMember;
import dev.berth.spi.GroupView;
import dev.berth.spi.InstanceState;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

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

    public static Map<Integer, HolderStatus> assess(
            Collection<? extends SlotListing> slots,
            GroupView group,
            Function<Collection<String>, Map<String, InstanceState>> instanceStates,
            String self,
            long nowMillis,
            long graceMillis) {
        Map<String, GroupMember> members = group.members().stream()
                .collect(Collectors.toMap(GroupMember::instanceId, m -> m, (a, b) -> a));
        var unknown = new TreeSet<String>();
        for (var entry : slots) {
            var holder = entry.holder();
            if (holder != null && !holder.instanceId().equals(self) && !members.containsKey(holder.instanceId())) {
                unknown.add(holder.instanceId());
            }
        }
        Map<String, InstanceState> states = unknown.isEmpty() ? Map.of() : instanceStates.apply(unknown);
        var result = new HashMap<Integer, HolderStatus>();
        for (var entry : slots) {
            result.put(entry.slot(), status(entry, members, states, self, nowMillis, graceMillis));
        }
        return result;
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
