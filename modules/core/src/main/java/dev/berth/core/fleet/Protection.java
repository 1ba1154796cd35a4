package dev.berth.core.fleet;

import dev.berth.core.slot.SlotTable;
import dev.berth.spi.Volume;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What gc must never delete, from one read of the slot table: every slot's volume and latest periodic
 * snapshot, every source
 * snapshot and source volume of an in-flight intent, every volume an in-flight intent may still
 * produce (one carrying its client token, or any volume tagged for that slot in the intent's zone:
 * providers that do not tag the token cannot tell which), and everything of a slot whose record
 * cannot be read. Retired volumes are named only as retired: they are gc's to delete.
 */
public final class Protection {
    static final String TAG_SLOT = "berth:slot";
    static final String TAG_CLIENT_TOKEN = "berth:client-token";

    private final Set<String> named = new HashSet<>();
    private final Map<String, Integer> retired = new HashMap<>();
    private final Set<String> intentTokens = new HashSet<>();
    /** "slot/zone" of every in-flight intent. */
    private final Set<String> intentSlotZones = new HashSet<>();
    private final Set<Integer> unreadable = new HashSet<>();

    public static Protection of(SlotTable table) {
        var p = new Protection();
        for (var entry : table.slots()) {
            var r = entry.record();
            if (r.volume() != null) {
                p.named.add(r.volume().volumeId());
            }
            if (r.latestSnapshot() != null) {
                p.named.add(r.latestSnapshot().snapshotId());   // the slot's newest periodic snapshot: its recovery point
            }
            r.retiredVolumes().forEach(v -> p.retired.put(v.volumeId(), entry.slot()));
            var intent = r.volumeIntent();
            if (intent != null) {
                p.intentTokens.add(intent.clientToken());
                p.intentSlotZones.add(entry.slot() + "/" + intent.zone());
                if (intent.sourceSnapshotId() != null) {
                    p.named.add(intent.sourceSnapshotId());
                }
                if (intent.sourceVolumeId() != null) {
                    p.named.add(intent.sourceVolumeId());
                }
            }
        }
        p.unreadable.addAll(table.corruptSlots());
        return p;
    }

    /** Whether a slot record or an in-flight intent names (or may yet produce) this volume. */
    public boolean protects(Volume volume) {
        if (named.contains(volume.volumeId())) {
            return true;
        }
        var token = volume.tags().get(TAG_CLIENT_TOKEN);
        if (token != null && intentTokens.contains(token)) {
            return true;
        }
        var slot = volume.tags().get(TAG_SLOT);
        if (slot == null) {
            return false;
        }
        try {
            int n = Integer.parseInt(slot.trim());
            return intentSlotZones.contains(n + "/" + volume.zone()) || unreadable.contains(n);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether a slot record or an in-flight intent names this volume or snapshot id. */
    public boolean names(String resourceId) {
        return named.contains(resourceId);
    }

    /** The slot a retired volume belonged to, or -1 when it is not a retired volume of any slot. */
    public int retiredFrom(String volumeId) {
        return named.contains(volumeId) ? -1 : retired.getOrDefault(volumeId, -1);
    }
}
