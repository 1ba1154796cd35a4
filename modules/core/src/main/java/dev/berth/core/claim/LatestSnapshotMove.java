package dev.berth.core.claim;

import dev.berth.core.slot.SlotEntry;
import dev.berth.core.slot.SlotRecord;
import dev.berth.spi.CloudException;
import dev.berth.spi.InstanceIdentity;
import dev.berth.spi.Snapshot;
import dev.berth.spi.SnapshotState;
import java.util.Map;

/**
 * Chooses the snapshot a cross-zone move builds the slot's new volume from. First the live
 * volume is snapshotted (nothing is lost). When its zone cannot do that now (unavailable, the
 * volume not visible, the API failing), {@code crossZone: latest-snapshot} takes the slot's latest
 * recorded periodic snapshot of that very volume, if it is younger than
 * {@code snapshots.maxSnapshotAgeMinutes}; anything else waits, bounded by
 * {@code waits.snapshotSeconds}, and says why. With {@code crossZone: snapshot} only the live
 * snapshot will do, so the move waits for the zone.
 */
final class LatestSnapshotMove {

    /** Where the new volume's data comes from. */
    sealed interface Source {
        String snapshotId();

        /** A snapshot of the live volume, just started (or found again by its tags). */
        record Live(String snapshotId) implements Source {
        }

        /** The slot's latest periodic snapshot, {@code ageMillis} old when chosen: what a move from it loses. */
        record Latest(String snapshotId, long ageMillis) implements Source {
        }
    }

    private final ClaimSettings settings;
    private final ClaimContext context;
    private final Calls calls;

    LatestSnapshotMove(ClaimSettings settings, ClaimContext context, Calls calls) {
        this.settings = settings;
        this.context = context;
        this.calls = calls;
    }

    Source choose(InstanceIdentity me, SlotEntry held, Map<String, String> moveTags) {
        var source = held.record().volume();
        var slot = held.slot();
        boolean fallback = settings.crossZone() == CrossZonePolicy.LATEST_SNAPSHOT;
        return BoundedWait.forThe("volume " + source.volumeId() + " of slot " + slot + " in zone " + source.zone()
                        + " to be snapshotted" + (fallback ? ", or a snapshot of it younger than "
                        + settings.snapshots().maxSnapshotAgeMinutes() + " minutes" : ""), context.ticker(), context.log())
                .bound(BoundedWait.Bound.of("waits.snapshotSeconds", settings.waits().snapshotMillis()))
                .backoff(settings.waits().pollMillis() * 5, 60_000)
                .hint(fallback
                        ? "zone " + source.zone() + " cannot snapshot the slot's volume and no recorded snapshot is young"
                        + " enough: berth will not lose more than snapshots.maxSnapshotAgeMinutes of writes. Wait for the"
                        + " zone (re-run), or raise snapshots.maxSnapshotAgeMinutes if losing more is acceptable"
                        : "zone " + source.zone() + " cannot snapshot the slot's volume now; the move waits for it (re-run"
                        + " to keep waiting). crossZone: latest-snapshot would move the slot from its latest periodic"
                        + " snapshot (berth snapshot) instead, losing at most snapshots.maxSnapshotAgeMinutes of writes")
                .until(() -> {
                    String why;
                    try {
                        var live = calls.run("snapshot volume " + source.volumeId(),
                                () -> context.cloud().createSnapshot(source.volumeId(), moveTags));
                        return BoundedWait.Poll.<Source>done(new Source.Live(live.snapshotId()));
                    } catch (CloudException e) {
                        if (e.reason() == CloudException.Reason.ACCESS_DENIED || e.reason() == CloudException.Reason.INVALID) {
                            throw e;
                        }
                        why = "zone " + source.zone() + " cannot snapshot it (" + firstLine(e.getMessage()) + ")";
                    }
                    if (!fallback) {
                        return BoundedWait.Poll.pending(why + "; crossZone: snapshot waits for the zone (latest-snapshot"
                                + " would move the slot from its latest periodic snapshot)");
                    }
                    var verdict = latest(held, source);
                    if (verdict instanceof Verdict.Usable(var chosen)) {
                        context.log().info("slot " + slot + ": " + why + "; moving it to " + me.zone() + " from its latest"
                                + " snapshot " + chosen.snapshotId() + ", " + chosen.ageMillis() / 60_000 + " minutes old"
                                + " (bound " + settings.snapshots().maxSnapshotAgeMinutes() + "): writes to "
                                + source.volumeId() + " after it are lost, and that volume is retired");
                        return BoundedWait.Poll.done(chosen);
                    }
                    return BoundedWait.Poll.pending(why + "; " + ((Verdict.Unusable) verdict).why());
                });
    }

    /** Whether the slot's latest periodic snapshot may be used. */
    private sealed interface Verdict {
        record Usable(Source.Latest snapshot) implements Verdict {
        }

        record Unusable(String why) implements Verdict {
        }
    }

    private Verdict latest(SlotEntry held, SlotRecord.VolumeRef source) {
        var ref = held.record().latestSnapshot();
        if (ref == null) {
            return new Verdict.Unusable("slot " + held.slot() + " has no recorded periodic snapshot (is berth snapshot running?)");
        }
        if (!ref.volumeId().equals(source.volumeId())) {
            return new Verdict.Unusable("its latest snapshot " + ref.snapshotId() + " is of volume " + ref.volumeId() + ", not of "
                    + source.volumeId());
        }
        long age = Math.max(0, context.ticker().nowMillis() - ref.takenAtMillis());
        if (age > settings.snapshots().maxAgeMillis()) {
            return new Verdict.Unusable("its latest snapshot " + ref.snapshotId() + " is " + age / 60_000 + " minutes old, older than"
                    + " snapshots.maxSnapshotAgeMinutes (" + settings.snapshots().maxSnapshotAgeMinutes() + ")");
        }
        var seen = calls.run("describe snapshot " + ref.snapshotId(), () -> context.cloud().describeSnapshot(ref.snapshotId()));
        if (seen.isEmpty() || seen.get().state() != SnapshotState.COMPLETED) {
            return new Verdict.Unusable("its latest snapshot " + ref.snapshotId() + " is " + seen.map(Snapshot::state).map(s -> s.name().toLowerCase())
                    .orElse("gone (deleted by hand?)"));
        }
        return new Verdict.Usable(new Source.Latest(ref.snapshotId(), age));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        var line = s.lines().findFirst().orElse("");
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }
}
