package dev.berth.core.claim;

import dev.berth.core.slot.SlotKeys;
import dev.berth.spi.BerthException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything a claim needs to know, validated on construction.
 *
 * @param capacity   the number of slots; empty to follow the group's desired capacity
 * @param forceSlot  an operator's {@code --force --slot N}: take slot N even from a live holder
 * @param snapshots  periodic snapshots ({@code berth snapshot}) and the RPO bound of {@code crossZone: latest-snapshot}
 */
public record ClaimSettings(
        String cluster,
        OptionalInt capacity,
        VolumeSettings volume,
        IdentitySettings identity,
        FullPolicy whenFull,
        CrossZonePolicy crossZone,
        Waits waits,
        Path envFile,
        OptionalInt forceSlot,
        SnapshotSettings snapshots) {

    /** Settings without periodic snapshots' own section: its defaults. */
    public ClaimSettings(String cluster, OptionalInt capacity, VolumeSettings volume, IdentitySettings identity,
                         FullPolicy whenFull, CrossZonePolicy crossZone, Waits waits, Path envFile, OptionalInt forceSlot) {
        this(cluster, capacity, volume, identity, whenFull, crossZone, waits, envFile, forceSlot, SnapshotSettings.defaults());
    }

    public ClaimSettings withSnapshots(SnapshotSettings newSnapshots) {
        return new ClaimSettings(cluster, capacity, volume, identity, whenFull, crossZone, waits, envFile, forceSlot, newSnapshots);
    }

    public ClaimSettings {
        SlotKeys.validCluster(cluster);
        Objects.requireNonNull(volume, "volume");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(whenFull, "whenFull");
        Objects.requireNonNull(crossZone, "crossZone");
        Objects.requireNonNull(waits, "waits");
        Objects.requireNonNull(envFile, "envFile");
        Objects.requireNonNull(snapshots, "snapshots");
        if (capacity.isPresent() && (capacity.getAsInt() < 1 || capacity.getAsInt() > SlotKeys.MAX_SLOTS)) {
            throw new BerthException("capacity " + capacity.getAsInt() + " is out of range: give 1 to " + SlotKeys.MAX_SLOTS);
        }
        if (forceSlot.isPresent() && forceSlot.getAsInt() < 0) {
            throw new BerthException("--slot " + forceSlot.getAsInt() + " is negative: slots are numbered from 0");
        }
    }

    /** The data volume: how to create it, and how to make and mount its filesystem. */
    public record VolumeSettings(
            int sizeGiB,
            String type,
            OptionalInt iops,
            OptionalInt throughputMiBps,
            boolean encrypted,
            Optional<String> kmsKeyId,
            Optional<String> seedSnapshotId,
            String filesystem,
            List<String> mkfsArguments,
            Path mountPoint,
            List<String> mountOptions) {

        public VolumeSettings {
            if (sizeGiB < 1 || sizeGiB > 65_536) {
                throw new BerthException("volume size " + sizeGiB + " GiB is out of range: give 1 to 65536");
            }
            if (!List.of("ext4", "xfs", "btrfs").contains(filesystem)) {
                throw new BerthException("filesystem '" + filesystem + "' is not supported: use ext4, xfs or btrfs");
            }
            if (!mountPoint.isAbsolute()) {
                throw new BerthException("mount point '" + mountPoint + "' is not an absolute path: write it as /data");
            }
            mkfsArguments = List.copyOf(mkfsArguments);
            for (var argument : mkfsArguments) {
                if (forcesMkfs(argument)) {
                    throw new BerthException("volume.mkfsArgs " + mkfsArguments + " contains '" + argument + "', which"
                            + " makes mkfs overwrite an existing filesystem or signature: remove it (berth formats only"
                            + " blank devices and never forces mkfs; write an option that takes a value apart from it)");
                }
            }
            mountOptions = List.copyOf(mountOptions);
        }
    }

    /**
     * Whether an mkfs argument forces it over an existing signature: {@code --force}, or a
     * cluster of short options with {@code f} or {@code F} (mkfs.xfs and mkfs.btrfs -f, mke2fs -F).
     */
    static boolean forcesMkfs(String argument) {
        return argument.equals("--force") || argument.matches("-[A-Za-z]*[fF][A-Za-z]*");
    }

    /**
     * Periodic snapshots of the slot's volume, taken by {@code berth snapshot} on the holder.
     *
     * @param everyMinutes          how often the keeper or the timer takes one (0: never; the timer the image ships says its own)
     * @param keep                  how many of a slot's periodic snapshots to keep (the newest; never one a record names)
     * @param maxSnapshotAgeMinutes the RPO bound: {@code crossZone: latest-snapshot} moves a slot from a
     *                              snapshot only when it is younger than this
     */
    public record SnapshotSettings(int everyMinutes, int keep, int maxSnapshotAgeMinutes) {

        public static SnapshotSettings defaults() {
            return new SnapshotSettings(60, 3, 120);
        }

        public SnapshotSettings {
            if (everyMinutes < 0 || everyMinutes > 7 * 24 * 60) {
                throw new BerthException("snapshots.everyMinutes is " + everyMinutes + ": give 0 (no periodic snapshots)"
                        + " to " + 7 * 24 * 60 + " (a week)");
            }
            if (keep < 1 || keep > 1000) {
                throw new BerthException("snapshots.keep is " + keep + ": give 1 to 1000 (the newest kept per slot)");
            }
            if (maxSnapshotAgeMinutes < 1 || maxSnapshotAgeMinutes > 30 * 24 * 60) {
                throw new BerthException("snapshots.maxSnapshotAgeMinutes is " + maxSnapshotAgeMinutes + ": give 1 to "
                        + 30 * 24 * 60 + " minutes (the most data a move from a snapshot may lose)");
            }
        }

        public long maxAgeMillis() {
            return maxSnapshotAgeMinutes * 60_000L;
        }
    }

    /** The slot's identity: which kind (empty for none), where on the volume, and the restore policy. */
    public record IdentitySettings(Optional<String> kind, Path directory, IdentityPolicy policy) {

        public IdentitySettings {
            if (directory.isAbsolute() || directory.normalize().startsWith("..")) {
                throw new BerthException("identity directory '" + directory
                        + "' must be relative to the mount point (for example 'staking')");
            }
        }
    }

    /**
     * Every wait of the protocol has a bound (milliseconds), each measured on its own clock from
     * the start of that wait. {@code storeMillis}: how long a call keeps retrying a store that does
     * not answer; {@code maxCallAttempts}: how often a cloud call is tried when throttled or unavailable.
     */
    public record Waits(
            long pollMillis,
            long fullMillis,
            long holderMillis,
            long attachMillis,
            long deviceMillis,
            long snapshotMillis,
            long holderGraceMillis,
            long storeMillis,
            int maxClaimConflicts,
            int maxCallAttempts) {

        public static Waits defaults() {
            return new Waits(2_000, 600_000, 900_000, 300_000, 120_000, 3_600_000, 900_000, 120_000, 64, 8);
        }

        public Waits {
            positive("waits.pollSeconds", pollMillis, 1);
            positive("waits.fullSeconds", fullMillis, 0);
            positive("waits.holderSeconds", holderMillis, 0);
            positive("waits.attachSeconds", attachMillis, 1);
            positive("waits.deviceSeconds", deviceMillis, 1);
            positive("waits.snapshotSeconds", snapshotMillis, 1);
            positive("waits.holderGraceSeconds", holderGraceMillis, 1);
            positive("waits.storeSeconds", storeMillis, 1);
            positive("waits.maxClaimConflicts", maxClaimConflicts, 1);
            positive("waits.maxCallAttempts", maxCallAttempts, 1);
        }

        private static void positive(String key, long value, long least) {
            if (value < least) {
                throw new BerthException(key + " is " + (key.endsWith("Seconds") ? value / 1000.0 + " s" : value)
                        + ": it must be " + (least == 0 ? "zero or more" : "positive") + "; fix the 'waits:' section of the config");
            }
        }
    }
}
