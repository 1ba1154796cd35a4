package dev.berth.core.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.slot.SlotEntry;
import dev.berth.core.slot.SlotRecord;
import dev.berth.core.slot.SlotTable;
import dev.berth.spi.GroupMember;
import dev.berth.spi.GroupView;
import dev.berth.spi.InstanceState;
import dev.berth.spi.LifecycleState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HolderLivenessTest {
    private static final long GRACE = 60_000;

    private static SlotEntry held(int slot, String holder, long since) {
        var holderRef = holder == null ? null : new SlotRecord.Holder(holder, "a", since);
        return new SlotEntry(slot, new SlotRecord(SlotRecord.SCHEMA, "c", slot, 1, holderRef, null, null, List.of(), false,
                null, null, null, null), "v");
    }

    @Test
    void eachHolderGetsItsStatusAndOnlyInstancesOutsideTheGroupAreDescribed() {
        var table = new SlotTable(List.of(held(0, null, 0), held(1, "i-me", 0), held(2, "i-live", 0),
                held(3, "i-leaving", 0), held(4, "i-gone", 0), held(5, "i-dead", 0), held(6, "i-stopping", 0),
                held(7, "i-new", 90_000), held(8, "i-lost", 0)), List.of(), Set.of());
        var group = new GroupView("g", 3, List.of("a"), List.of(
                new GroupMember("i-live", "a", LifecycleState.IN_SERVICE, true),
                new GroupMember("i-leaving", "a", LifecycleState.TERMINATING, true),
                new GroupMember("i-gone", "a", LifecycleState.TERMINATED, false)));
        var asked = new ArrayList<Collection<String>>();
        var status = HolderLiveness.assess(table.slots(), group, ids -> {
            asked.add(List.copyOf(ids));
            return Map.of("i-dead", InstanceState.TERMINATED, "i-stopping", InstanceState.SHUTTING_DOWN);
        }, "i-me", 100_000, GRACE);

        assertEquals(List.of(List.of("i-dead", "i-lost", "i-new", "i-stopping")), asked, "one describe call, sorted");
        assertEquals(HolderStatus.NONE, status.get(0));
        assertEquals(HolderStatus.SELF, status.get(1));
        assertEquals(HolderStatus.ALIVE, status.get(2));
        assertEquals(HolderStatus.TERMINATING, status.get(3));
        assertEquals(HolderStatus.GONE, status.get(4));
        assertEquals(HolderStatus.GONE, status.get(5));
        assertEquals(HolderStatus.TERMINATING, status.get(6));
        assertEquals(HolderStatus.ALIVE, status.get(7), "unknown but claimed within the grace period: maybe not visible yet");
        assertEquals(HolderStatus.GONE, status.get(8), "unknown for longer than the grace period");
    }

    @Test
    void noDescribeCallWhenEveryHolderIsInTheGroup() {
        var table = new SlotTable(List.of(held(0, "i-live", 0)), List.of(), Set.of());
        var group = new GroupView("g", 1, List.of("a"), List.of(new GroupMember("i-live", "a", LifecycleState.IN_SERVICE, true)));
        var status = HolderLiveness.assess(table.slots(), group, ids -> {
            throw new AssertionError("described " + ids);
        }, "i-me", 0, GRACE);
        assertEquals(Map.of(0, HolderStatus.ALIVE), status);
    }
}
