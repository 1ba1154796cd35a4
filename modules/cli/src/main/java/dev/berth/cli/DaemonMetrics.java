package dev.berth.cli;

import java.util.List;
import java.util.Optional;

/** The metrics of {@code berth keeper} and {@code berth snapshot}, for {@code metrics.textfile}. */
final class DaemonMetrics {
    static final List<String> KEEPER_STATES = List.of("watching", "released", "failed");
    static final List<String> SNAPSHOT_OUTCOMES = List.of("taken", "nothing", "failed");

    private DaemonMetrics() {
    }

    /** The keeper's state and its last heartbeat (now: it is alive and watching, or has just ended). */
    static void keeper(MetricsTextfile textfile, String cluster, String state) {
        var m = new MetricFamilies(cluster);
        m.gauge("berth_keeper_last_heartbeat_timestamp_seconds", "When berth keeper last looked for a termination notice"
                + " or ended (Unix time); stale while it should run means the keeper is dead or stuck",
                MetricFamilies.seconds(System.currentTimeMillis()));
        for (var s : KEEPER_STATES) {
            m.flag("berth_keeper_state", "1 for what berth keeper is doing: watching for a termination notice, released"
                    + " the slot, failed", s.equals(state), "state", s);
        }
        textfile.publish(List.of("berth_keeper_"), m);
    }

    /** How the last {@code berth snapshot} ended; the last success is kept across failed runs. */
    static void snapshot(MetricsTextfile textfile, String cluster, String outcome, long durationMillis, int deleted) {
        long now = System.currentTimeMillis();
        var m = new MetricFamilies(cluster);
        for (var o : SNAPSHOT_OUTCOMES) {
            m.flag("berth_snapshot_outcome", "1 for how the last berth snapshot ended (taken, nothing to snapshot,"
                    + " failed), 0 for the others", o.equals(outcome), "outcome", o);
        }
        m.gauge("berth_snapshot_last_run_timestamp_seconds", "When the last berth snapshot ended (Unix time)",
                MetricFamilies.seconds(now));
        var name = "berth_snapshot_last_success_timestamp_seconds";
        Optional<Double> last = outcome.equals("taken") ? Optional.of(MetricFamilies.seconds(now)) : textfile.previous(name);
        last.ifPresent(t -> m.gauge(name, "When berth snapshot last took a snapshot (Unix time)", t));
        m.gauge("berth_snapshot_duration_seconds", "How long the last berth snapshot took", durationMillis / 1000.0);
        m.gauge("berth_snapshot_deleted", "Expired periodic snapshots the last berth snapshot deleted", deleted);
        textfile.publish(List.of("berth_snapshot_"), m);
    }
}
