package dev.berth.core.claim;

import dev.berth.spi.CloudException;
import dev.berth.spi.VolumeModification;

/**
 * Step 5, last: the configuration asks for a larger volume than the slot has. ModifyVolume, then a
 * bounded wait until the new size is usable (optimizing or completed); step 6 grows the filesystem.
 * Never shrinks. A volume modified too recently (EBS: once per six hours) keeps its size for now.
 */
final class VolumeGrowth {

    /** What became of the volume's size. */
    sealed interface Outcome {
        /** The size is as configured, or unknown (0: the provider does not report it). */
        record Unchanged() implements Outcome {
        }

        /** Larger than configured: berth never shrinks. */
        record KeptLarger(int sizeGiB) implements Outcome {
        }

        /** The cloud refused a modification now (modified too recently): a later claim grows it. */
        record Later(String reason) implements Outcome {
        }

        /** Grown: the new size is usable. */
        record Grown(int fromGiB, int toGiB) implements Outcome {
        }

        /** The modification failed; the volume keeps its size. */
        record Failed(int toGiB) implements Outcome {
        }
    }

    private VolumeGrowth() {
    }

    static Outcome grow(ClaimRun run, int slot, String volumeId, int sizeGiB) {
        int wanted = run.settings().volume().sizeGiB();
        var context = run.context();
        if (sizeGiB <= 0 || sizeGiB == wanted) {
            return new Outcome.Unchanged();
        }
        if (sizeGiB > wanted) {
            run.log("volume " + volumeId + " of slot " + slot + " has " + sizeGiB + " GiB, more than volume.sizeGiB "
                    + wanted + ": berth never shrinks a volume (keeping " + sizeGiB + " GiB); set volume.sizeGiB"
                    + " to at least " + sizeGiB + " to silence this");
            return new Outcome.KeptLarger(sizeGiB);
        }
        VolumeModification started;
        try {
            started = run.calls().run("grow volume " + volumeId + " to " + wanted + " GiB",
                    () -> context.cloud().modifyVolume(volumeId, wanted));
        } catch (CloudException e) {
            if (e.reason() != CloudException.Reason.CONFLICT) {
                throw e;
            }
            run.log("volume " + volumeId + " of slot " + slot + " cannot grow to " + wanted + " GiB now (" + e.getMessage()
                    + "); it keeps " + sizeGiB + " GiB and grows at a later claim");
            return new Outcome.Later(e.getMessage());
        }
        run.log("growing volume " + volumeId + " of slot " + slot + " from " + sizeGiB + " to " + wanted + " GiB");
        if (started.state().sizeUsable()) {
            return new Outcome.Grown(sizeGiB, wanted);
        }
        var done = BoundedWait.forThe("volume " + volumeId + " of slot " + slot + " to offer its new size of " + wanted + " GiB",
                        context.ticker(), context.log())
                .bound(BoundedWait.Bound.of("waits.attachSeconds", run.settings().waits().attachMillis()))
                .backoff(1_000, 15_000)
                .hint("check the volume's modification in the console (aws ec2 describe-volumes-modifications"
                        + " --volume-ids " + volumeId + ") and re-run; the filesystem grows once the volume has")
                .until(() -> {
                    var m = run.calls().run("describe the modification of volume " + volumeId,
                            () -> context.cloud().describeVolumeModification(volumeId));
                    if (m.isPresent() && (m.get().state().sizeUsable()
                            || m.get().state() == VolumeModification.State.FAILED)) {
                        return BoundedWait.Poll.done(m.get());
                    }
                    return BoundedWait.Poll.pending(m.map(x -> x.state().name().toLowerCase()).orElse("not visible yet"));
                });
        if (done.state() == VolumeModification.State.FAILED) {
            run.log("the modification of volume " + volumeId + " (slot " + slot + ") to " + wanted + " GiB failed: it keeps"
                    + " its size; check it in the console (describe-volumes-modifications) and re-run");
            return new Outcome.Failed(wanted);
        }
        return new Outcome.Grown(sizeGiB, wanted);
    }
}
