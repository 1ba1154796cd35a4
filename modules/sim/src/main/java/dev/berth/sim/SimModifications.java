package dev.berth.sim;

import dev.berth.spi.CloudException;
import dev.berth.spi.VolumeModification;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * EBS ModifyVolume in the simulated world: the volume shows its new size at once, the device offers it
 * once the modification is optimizing (seconds to a minute), it completes later; one modification per
 * volume per six hours, as EBS allows. Never smaller.
 */
final class SimModifications {
    static final long RATE_LIMIT_MILLIS = 6 * 3_600_000L;

    private record Mod(String volumeId, int from, int to, long startedAt, long optimizingAt, long completedAt) {
        VolumeModification.State at(long t) {
            return t >= completedAt ? VolumeModification.State.COMPLETED
                    : t >= optimizingAt ? VolumeModification.State.OPTIMIZING : VolumeModification.State.MODIFYING;
        }

        VolumeModification view(long t) {
            return new VolumeModification(volumeId, from, to, at(t), startedAt);
        }
    }

    private final World world;
    private final Map<String, Mod> latest = new HashMap<>();

    SimModifications(World world) {
        this.world = world;
    }

    VolumeModification modify(SimVolume v, int sizeGiB) {
        world.faults.checkZoneUp(v.zone, v.id);
        if (sizeGiB < v.sizeGiB) {
            world.trace.violation("a volume is never shrunk", SimEbs.slotTag(v), java.util.List.of(), "volume " + v.id
                    + " was asked to shrink from " + v.sizeGiB + " to " + sizeGiB + " GiB");
            throw new CloudException(CloudException.Reason.INVALID, v.id, "New size cannot be smaller than existing size");
        }
        var last = latest.get(v.id);
        long now = world.now();
        if (last != null && now - last.startedAt() < RATE_LIMIT_MILLIS) {
            throw new CloudException(CloudException.Reason.CONFLICT, v.id, "You've reached the maximum modification rate"
                    + " per volume limit. Wait at least 6 hours between modifications per EBS volume.");
        }
        var mod = new Mod(v.id, v.sizeGiB, sizeGiB, now, now + world.between(5_000, 60_000),
                now + world.between(600_000, 3_600_000));
        latest.put(v.id, mod);
        v.sizeGiB = sizeGiB;
        world.trace.event("-", "ec2: modify volume", v.id + " " + mod.from() + " -> " + sizeGiB + " GiB", SimEbs.slotTag(v));
        return mod.view(now);
    }

    Optional<VolumeModification> describe(String volumeId, long t) {
        var mod = latest.get(volumeId);
        return mod == null || mod.startedAt() > t ? Optional.empty() : Optional.of(mod.view(t));
    }

    /** The size the volume's device offers now: the old size until the modification is optimizing. */
    int deviceSizeGiB(SimVolume v) {
        var mod = latest.get(v.id);
        return mod != null && !mod.at(world.now()).sizeUsable() ? mod.from() : v.sizeGiB;
    }
}
