package dev.berth.cli;

import dev.berth.core.claim.SlotLease;
import dev.berth.core.slot.SlotCodec;
import dev.berth.core.slot.SlotKeys;
import dev.berth.spi.ClaimStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The metrics of one {@code berth claim}, for {@code metrics.textfile}. */
final class ClaimMetrics {
    /** The families a claim owns in the shared textfile. */
    static final List<String> OWNED = List.of("berth_claim_", "berth_slot_", "berth_identity_");
    static final List<String> OUTCOMES = List.of("claimed", "resumed", "deferred", "full", "failed", "refused");
    /** The kinds of wait a claim has ({@link MeteredTicker#kindOf}; retry: the retries of store and cloud calls). */
    static final List<String> WAIT_KINDS = List.of("address", "attach", "device", "full", "holder", "retry", "snapshot");
    private static final String LAST_SUCCESS = "berth_claim_last_success_timestamp_seconds";

    private ClaimMetrics() {
    }

    /**
     * Writes the claim's metrics. {@code lease} is the slot when the claim ended ready; {@code waited} is the time
     * slept by kind of wait, empty when unknown (a provider that runs its own claim).
     */
    static void publish(MetricsTextfile textfile, String cluster, String outcome, Optional<SlotLease> lease,
                        ClaimStore store, CountingStore counted, long durationMillis,
                        Optional<Map<String, Long>> waited) {
        long now = System.currentTimeMillis();
        var m = new MetricFamilies(cluster);
        for (var o : OUTCOMES) {
            m.flag("berth_claim_outcome", "1 for how the last berth claim ended (claimed, resumed, deferred: warm pool,"
                    + " full, failed, refused: bad configuration), 0 for the others", o.equals(outcome), "outcome", o);
        }
        m.gauge("berth_claim_last_run_timestamp_seconds", "When the last berth claim ended (Unix time)",
                MetricFamilies.seconds(now));
        var lastSuccess = lease.isPresent() ? Optional.of(MetricFamilies.seconds(now)) : textfile.previous(LAST_SUCCESS);
        lastSuccess.ifPresent(t -> m.gauge(LAST_SUCCESS, "When a berth claim last ended ready, claimed or resumed"
                + " (Unix time)", t));
        m.gauge("berth_claim_duration_seconds", "How long the last berth claim took", durationMillis / 1000.0);
        m.gauge("berth_claim_cas_attempts", "Conditional writes to the claim store (compare-and-set, put-if-absent)"
                + " in the last berth claim", counted.attempts());
        m.gauge("berth_claim_cas_conflicts", "Conditional writes of the last berth claim that another writer won",
                counted.conflicts());
        waited.ifPresent(byKind -> {
            // every kind a claim waits for, zeros included, so an alert on one kind has a series to look at
            var kinds = new java.util.TreeMap<String, Long>();
            WAIT_KINDS.forEach(k -> kinds.put(k, 0L));
            kinds.putAll(byKind);
            kinds.forEach((kind, millis) -> m.gauge("berth_claim_wait_seconds", "Time the last berth claim spent"
                    + " waiting, by kind (attach, device, holder, full, snapshot, address, retry: store and cloud calls)",
                    millis / 1000.0, "kind", kind));
        });
        m.flag("berth_slot_held", "1 when this instance holds a slot, after the last berth claim", lease.isPresent());
        lease.ifPresent(l -> {
            m.gauge("berth_slot_number", "The slot this instance holds", l.slot(), "instance", l.instanceId(),
                    "volume", l.volumeId());
            m.gauge("berth_slot_epoch", "The epoch (fencing token) at which this instance holds its slot", l.epoch());
            m.flag("berth_identity_backed_up", "1 when the slot's identity has an encrypted backup in the claim store",
                    backedUp(store, cluster, l.slot()));
        });
        textfile.publish(OWNED, m);
    }

    private static boolean backedUp(ClaimStore store, String cluster, int slot) {
        try {
            var key = new SlotKeys(cluster).slot(slot);
            return store.get(key).map(v -> new SlotCodec().decode(key, slot, cluster, v.value()).identityBackup() != null)
                    .orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
