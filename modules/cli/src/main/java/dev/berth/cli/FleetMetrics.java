package dev.berth.cli;

import dev.berth.core.claim.HolderStatus;
import dev.berth.core.fleet.Finding;
import dev.berth.core.fleet.FleetView;
import java.util.List;

/** {@code berth status --metrics}: the fleet as the slot map and its findings, in the Prometheus text format. */
final class FleetMetrics {
    private FleetMetrics() {
    }

    static String of(FleetView view, List<Finding> findings) {
        var m = new MetricFamilies(view.cluster());
        m.gauge("berth_fleet_capacity", "The number of slots the cluster should have (the group's desired capacity)",
                view.capacity());
        m.gauge("berth_fleet_slots", "The slot records in the claim store", view.rows().size());
        for (var r : view.rows()) {
            var slot = Integer.toString(r.slot());
            m.flag("berth_fleet_slot_held", "1 when the slot record names a holder", r.holder() != null, "slot", slot);
            m.flag("berth_fleet_slot_holder_live", "1 when the slot's holder runs (or may run) by the cloud's account",
                    r.holderState() == HolderStatus.ALIVE || r.holderState() == HolderStatus.SELF, "slot", slot);
            m.gauge("berth_fleet_slot_epoch", "The slot's epoch (fencing token)", r.epoch(), "slot", slot);
            m.flag("berth_fleet_slot_identity_backed_up", "1 when the slot's identity has an encrypted backup", r.backup(),
                    "slot", slot);
            if (r.sizeGiB() > 0) {
                m.gauge("berth_fleet_slot_volume_size_bytes", "The size of the slot's volume as the cloud shows it",
                        r.sizeGiB() * 1024.0 * 1024 * 1024, "slot", slot);
            }
        }
        for (var kind : Finding.Kind.values()) {
            m.gauge("berth_fleet_findings", "What berth status finds wrong, by kind (orphan_volume: volumes tagged for the"
                    + " cluster that no slot names)", findings.stream().filter(f -> f.kind() == kind).count(),
                    "kind", kind.name().toLowerCase());
        }
        m.gauge("berth_fleet_read_timestamp_seconds", "When berth status read the fleet (Unix time)",
                MetricFamilies.seconds(view.readAtMillis()));
        return m.text();
    }
}
