package dev.berth.sim;

import dev.berth.spi.CloudException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The faults a run plans or a test injects, and what they explain: zone outages, stale describe
 * windows, throttling, a slow store, crashes and stalls of berth processes at a given call, and
 * the small misbehaviours of AWS a test turns on (unmounts that fail, lifecycle actions gone,
 * hook timeouts). A claim error needs one of them to explain it ({@link #explanation()}).
 */
final class SimFaults {
    private final World world;

    SimFaults(World world) {
        this.world = world;
    }

    /** A planned crash of the berth process of one instance, at its k-th SPI call. */
    record CrashPlan(int call, boolean afterEffect) {
    }

    /** A planned stall (a long GC pause) of the berth process of one instance, at its k-th SPI call. */
    record PausePlan(int call, long millis) {
    }

    record PauseAfter(String op, long millis) {
    }

    final Set<String> zonesDown = new HashSet<>();
    final Map<String, CrashPlan> crashPlans = new HashMap<>();
    final Map<String, PausePlan> pausePlans = new HashMap<>();
    /** Crash the first berth run of an instance right after its first call named so (regression tests). */
    final Map<String, String> crashAfterOp = new HashMap<>();
    /** Stall the first berth run of an instance right after its first call named so (regression tests). */
    final Map<String, PauseAfter> pauseAfterOp = new HashMap<>();
    long staleUntil = -1;
    long throttleUntil = -1;
    long slowStoreUntil = -1;
    long hookTimeoutOverride = -1;
    /** Unmounts fail (a process keeps the mount point busy). */
    boolean unmountsFail;
    /** Auto Scaling answers "No active Lifecycle Action found" to heartbeats and completions (spot, no hook). */
    boolean noActiveLifecycleAction;
    /** A zone outage happened in this run (a claim error during or after one is explained). */
    boolean outageSeen;
    /** The end of the latest planned stall that has struck (liveness is judged only after it). */
    long stalledUntil = -1;
    /** When each zone last came back from an outage. */
    private final Map<String, Long> zoneRecoveredAt = new java.util.HashMap<>();
    /** Whether the zone was down at some time since {@code since} (and may be still). */
    boolean zoneDownSince(String zone, long since) {
        return zonesDown.contains(zone) || zoneRecoveredAt.getOrDefault(zone, Long.MIN_VALUE) >= since;
    }

    void checkZoneUp(String zone, String resource) {
        if (zonesDown.contains(zone)) {
            throw new CloudException(CloudException.Reason.UNAVAILABLE, resource, "zone " + zone
                    + " is unavailable (simulated outage)");
        }
    }

    /** The planned fault that explains claim errors in this run so far, or null. */
    String explanation() {
        if (outageSeen || !zonesDown.isEmpty()) {
            return "zone outage";
        }
        if (throttleUntil > 0) {
            return "throttling";
        }
        if (!pausePlans.isEmpty() || !pauseAfterOp.isEmpty() || stalledUntil >= 0) {
            return "stalled process";
        }
        if (world.storeCost != null && world.storeCost.slowDowns > 0) {
            return "S3 request rate exceeded (503 SlowDown)";
        }
        if (world.ebs.attachmentsHang) {
            return "stuck attachment";
        }
        if (world.group.instances.values().stream().anyMatch(i -> i.forceClaim)) {
            return "forced claim";
        }
        return null;
    }

    /** A zone comes back from an outage. */
    void zoneRecovered(String zone) {
        outageSeen = true;
        zonesDown.remove(zone);
        zoneRecoveredAt.put(zone, world.now());
    }
}
