package dev.berth.core.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.slot.SlotEntry;
import dev.berth.core.slot.SlotRecord;
import dev.berth.core.slot.SlotIndex;
import dev.berth.core.slot.SlotTable;
import dev.berth.spi.GroupMember;
import dev.berth.spi.GroupView;
import dev.berth.spi.InstanceIdentity;
import dev.berth.spi.LifecycleState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SlotRankingTest {

    private static InstanceIdentity me(String id, String zone) {
        return new InstanceIdentity(id, zone, "r", Optional.empty(), "t", Optional.empty(), Optional.empty());
    }

    private static SlotEntry withVolume(int slot, String zone) {
        var r = SlotRecord.fresh("c", slot);
        return new SlotEntry(slot, new SlotRecord(r.schema(), "c", slot, 1, null, new SlotRecord.VolumeRef("vol-" + slot, zone),
                null, List.of(), true, null, null, null, null), "v1");
    }

    private static SlotEntry held(int slot, String holder) {
        return new SlotEntry(slot, new SlotRecord(SlotRecord.SCHEMA, "c", slot, 1, new SlotRecord.Holder(holder, "a", 0),
                new SlotRecord.VolumeRef("vol-" + slot, "a"), null, List.of(), true, null, null, null, null), "v1");
    }

    private static SlotIndex table(SlotEntry... entries) {
        return new SlotTable(List.of(entries), List.of(), Set.of()).index();
    }

    private static GroupView group(String... ids) {
        var members = new ArrayList<GroupMember>();
        for (var id : ids) {
            members.add(new GroupMember(id, "a", LifecycleState.IN_SERVICE, true));
        }
        return new GroupView("g", ids.length, List.of("a", "b"), members);
    }

    @Test
    void aVolumeInMyZoneComesBeforeNoVolumeAndAnotherZonesOnlyWithSnapshots() {
        var t = table(withVolume(0, "b"), withVolume(1, "a"));
        var status = Map.of(0, HolderStatus.NONE, 1, HolderStatus.NONE);
        var never = SlotRanking.rank(t, status, me("i-1", "a"), group("i-1"), 3, CrossZonePolicy.NEVER, InstanceHashes.direct());
        assertEquals(List.of(1, 2), never.stream().map(SlotRanking.Candidate::slot).toList());
        assertEquals(SlotRanking.Tier.SAME_ZONE_VOLUME, never.getFirst().tier());
        assertTrue(never.get(1).existing().isEmpty(), "slot 2 is a new slot number");

        var snapshot = SlotRanking.rank(t, status, me("i-1", "a"), group("i-1"), 3, CrossZonePolicy.SNAPSHOT, InstanceHashes.direct());
        assertEquals(List.of(1, 2, 0), snapshot.stream().map(SlotRanking.Candidate::slot).toList());
        assertEquals(SlotRanking.Tier.OTHER_ZONE_VOLUME, snapshot.getLast().tier());
    }

    @Test
    void aLiveHoldersSlotIsNeverACandidateAndAFullTableGivesNone() {
        var t = table(held(0, "i-9"), withVolume(1, "a"));
        var ranked = SlotRanking.rank(t, Map.of(0, HolderStatus.ALIVE, 1, HolderStatus.NONE), me("i-1", "a"),
                group("i-1", "i-9"), 2, CrossZonePolicy.NEVER, InstanceHashes.direct());
        assertEquals(List.of(1), ranked.stream().map(SlotRanking.Candidate::slot).toList());

        var full = SlotRanking.rank(t, Map.of(0, HolderStatus.ALIVE, 1, HolderStatus.TERMINATING), me("i-1", "a"),
                group("i-1", "i-9"), 2, CrossZonePolicy.NEVER, InstanceHashes.direct());
        assertTrue(full.isEmpty(), "two live holders fill a capacity of two: " + full);
    }

    @Test
    void aMassBootSpreadsOverTheSlotsInsteadOfAllStartingAtTheFirst() {
        var ids = new String[8];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "i-" + Integer.toHexString(0x5eed * (i + 1));
        }
        var firstChoices = new HashSet<Integer>();
        for (var id : ids) {
            var ranked = SlotRanking.rank(table(), Map.of(), me(id, "a"), group(ids), ids.length, CrossZonePolicy.NEVER, InstanceHashes.direct());
            assertEquals(ids.length, ranked.size());
            firstChoices.add(ranked.getFirst().slot());
        }
        assertEquals(ids.length, firstChoices.size(), "every booting instance starts at a different slot: " + firstChoices);
    }

    @Test
    void theHashIsStableAcrossRuns() {
        assertEquals(SlotRanking.hash("i-0abc"), SlotRanking.hash("i-0abc"));
        assertTrue(SlotRanking.hash("i-0abc") != SlotRanking.hash("i-0abd"));
    }
}
