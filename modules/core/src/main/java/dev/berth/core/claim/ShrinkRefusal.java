package dev.berth.core.claim;

import dev.berth.core.slot.SlotEntry;
import dev.berth.spi.CloudException;
import dev.berth.spi.ConfigException;
import dev.berth.spi.Snapshot;

/**
 * Between steps 4 and 5: a {@code volume.sizeGiB} smaller than the slot's volume is the operator's error (EBS cannot
 * shrink a volume), found before the claim touches the volume: nothing is attached, moved, snapshotted or created.
 * A slot the run has just claimed is let go again (holder cleared by compare-and-set, the raised epoch kept, so
 * nothing of this run can act on it later); a slot the instance already held (a re-run beside a running workload)
 * stays held, as it was. A volume as large as the seed snapshot is no error: berth makes volumes from a snapshot at
 * least the snapshot's size. A volume no describe shows now is not judged here ({@link VolumeGrowth} keeps its size).
 */
final class ShrinkRefusal {
    private ShrinkRefusal() {
    }

    /** Throws a {@link ConfigException} (exit 2) when the configured size is below the slot's volume. */
    static void check(ClaimRun run, SlotEntry held, boolean letGo) {
        var ref = held.record().volume();
        int wanted = run.settings().volume().sizeGiB();
        if (ref == null) {
            return;
        }
        int size;
        try {
            var volume = run.calls().run("describe volume " + ref.volumeId(),
                    () -> run.context().cloud().describeVolume(ref.volumeId()));
            if (volume.isEmpty() || volume.get().sizeGiB() <= wanted) {
                return;
            }
            size = volume.get().sizeGiB();
            var seed = run.settings().volume().seedSnapshotId();
            if (seed.isPresent() && size <= run.calls().run("describe snapshot " + seed.get(),
                    () -> run.context().cloud().describeSnapshot(seed.get())).map(Snapshot::sizeGiB).orElse(0)) {
                return;
            }
        } catch (CloudException e) {
            return;   // cannot tell now: the claim goes on, and a later one judges
        }
        String released = "";
        if (letGo) {
            run.updateHeld(held, r -> r.withHolder(null, r.epoch()));
            released = "; this claim let the slot go again untouched (epoch " + held.record().epoch() + ")";
        }
        throw new ConfigException("volume.sizeGiB is " + wanted + " GiB but volume " + ref.volumeId() + " of slot "
                + held.slot() + " (zone " + ref.zone() + ") already has " + size + " GiB, and a volume cannot shrink (EBS"
                + " refuses it; berth never tries)" + released + ". Set volume.sizeGiB to at least " + size + " and re-run;"
                + " to get a smaller volume, move the data to a new volume by hand");
    }
}
