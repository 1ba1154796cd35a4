package dev.berth.core.claim;

import dev.berth.core.slot.SlotIndex;
import dev.berth.core.slot.SlotListing;
import dev.berth.spi.GroupView;
import dev.berth.spi.InstanceIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Orders the free slots for one instance: a volume already in its zone first, then no
 * volume yet (existing slots, then new slot numbers below capacity), then a volume in
 * another zone when the cross-zone policy allows. Within a tier the instance starts at the
 * position its hashed instance id has among all instances still looking for a slot, so
 * that a mass boot spreads over the slots instead of colliding on the first one.
 */
final class SlotRanking {

    enum Tier { SAME_ZONE_VOLUME, NO_VOLUME, OTHER_ZONE_VOLUME }

    /** A slot worth trying; {@code existing} is empty for a slot number not created yet. */
    record Candidate(int slot, Tier tier, Optional<SlotListing> existing) {
    }

    private SlotRanking() {
    }

    static List<Candidate> rank(SlotIndex table, Map<Integer, HolderStatus> status, InstanceIdentity me, GroupView group,
                                int capacity, CrossZonePolicy crossZone, InstanceHashes hashes) {
        long liveHolders = 0;
        for (var s : status.values()) {
            if (s == HolderStatus.ALIVE || s == HolderStatus.TERMINATING) {
                liveHolders++;
            }
        }
        if (liveHolders >= capacity) {
            return List.of();
        }
        var sameZone = new ArrayList<Candidate>();
        var noVolume = new ArrayList<Candidate>();
        var otherZone = new ArrayList<Candidate>();
        for (var entry : table.slots()) {
            if (!status.getOrDefault(entry.slot(), HolderStatus.ALIVE).free()) {
                continue;
            }
            var zone = entry.volumeZone();
            if (zone.isEmpty()) {
                noVolume.add(new Candidate(entry.slot(), Tier.NO_VOLUME, Optional.of(entry)));
            } else if (zone.get().equals(me.zone())) {
                sameZone.add(new Candidate(entry.slot(), Tier.SAME_ZONE_VOLUME, Optional.of(entry)));
            } else if (crossZone.movesVolumes()) {
                otherZone.add(new Candidate(entry.slot(), Tier.OTHER_ZONE_VOLUME, Optional.of(entry)));
            }
        }
        var used = table.numbers();
        for (int n = 0, created = used.size(); n < capacity && created < capacity; n++) {
            if (!used.contains(n)) {
                noVolume.add(new Candidate(n, Tier.NO_VOLUME, Optional.empty()));
                created++;
            }
        }
        var holders = new HashSet<String>();
        for (var s : table.slots()) {
            if (s.holder() != null) {
                holders.add(s.holder().instanceId());
            }
        }
        var all = new ArrayList<String>();      // the seekers: members not leaving that hold no slot
        var inZone = new ArrayList<String>();
        for (var m : group.members()) {
            if (m.lifecycleState().isTerminating() || m.lifecycleState().isTerminated() || holders.contains(m.instanceId())) {
                continue;
            }
            all.add(m.instanceId());
            if (m.zone().equals(me.zone())) {
                inZone.add(m.instanceId());
            }
        }
        if (!all.contains(me.instanceId())) {
            all.add(me.instanceId());
            inZone.add(me.instanceId());
        }
        int zoneRank = rankOf(me.instanceId(), inZone, hashes);
        int rank = rankOf(me.instanceId(), all, hashes);
        var ordered = new ArrayList<Candidate>();
        ordered.addAll(rotate(sameZone, zoneRank));
        ordered.addAll(rotate(noVolume, rank));
        ordered.addAll(rotate(otherZone, rank));
        return ordered;
    }

    private static List<Candidate> rotate(List<Candidate> tier, int start) {
        if (tier.isEmpty()) {
            return tier;
        }
        tier.sort(Comparator.comparingInt(Candidate::slot));
        int offset = Math.floorMod(start, tier.size());
        var rotated = new ArrayList<Candidate>(tier.size());
        rotated.addAll(tier.subList(offset, tier.size()));
        rotated.addAll(tier.subList(0, offset));
        return rotated;
    }

    /** My position among {@code ids} ordered by (hash, id): how many come before me. */
    private static int rankOf(String me, List<String> ids, InstanceHashes hashes) {
        long mine = hashes.of(me);
        int rank = 0;
        for (var id : ids) {
            long h = hashes.of(id);
            if (h < mine || (h == mine && id.compareTo(me) < 0)) {
                rank++;
            }
        }
        return rank;
    }

    /** The first 8 bytes of the id's SHA-256; {@link InstanceHashes} may remember it. */
    static long hash(String instanceId) {
        return sha256Prefix(instanceId);
    }

    private static long sha256Prefix(String instanceId) {
        try {
            var d = MessageDigest.getInstance("SHA-256").digest(instanceId.getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (d[i] & 0xff);
            }
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
