package dev.berth.sim;

import io.avaje.jsonb.Json;
import java.util.List;

/**
 * The figures of one simulated run. Only virtual time and counters: the same seed gives the
 * same report, byte for byte.
 *
 * @param violations          the number of broken invariants (0 is the only good answer)
 * @param casAttemptsPerNode  claim writes (compare-and-set or put-if-absent) per node that booted
 * @param happyPathCalls      cloud and store calls of a typical uncontended first claim (median)
 * @param convergeMillis      from the start of the last phase to every node holding a slot
 * @param slowestClaimMillis  the longest berth start-to-ready time of any node in the run
 * @param singleClaimMillis   berth start-to-ready of a lone node in an otherwise empty world
 * @param unexplainedClaimErrors claim errors that no planned fault explains (each is also a violation)
 * @param shortestTrace       the steps that show the first violation (its nodes and slot)
 * @param snapshotsTaken      periodic snapshots {@code berth snapshot} started (crossZone latest-snapshot runs it)
 * @param snapshotsDeleted    periodic snapshots retention deleted
 * @param movesFromLatestSnapshot cross-zone moves that built a slot's volume from its latest periodic snapshot
 * @param maxDataLossMinutes  the age of the snapshot used by the oldest such move: the writes lost, to compare
 *                            with {@code maxSnapshotAgeMinutes}
 * @param maxSnapshotAgeMinutes the RPO bound in force
 * @param retiredVolumesAttached attachments of a volume its slot had retired (0 is the only good answer)
 * @param waitingMessages     distinct reasons claims gave for waiting or failing in the run (at most 5, shortened)
 * @param addressesAllocated  Elastic IPs allocated (with --elastic-ip)
 * @param addressMoves        times a slot's address or interface went to a new holder (one per slot and holder)
 * @param interfacesCreated   network interfaces created (with --interface)
 * @param storeModel          the store model that charged the store calls (--store-model); absent on the abstract store
 * @param storeRequests       backend requests the store plugin would have made (with --store-model)
 * @param storeRequestsPerClaim backend store requests per node that got ready (with --store-model)
 * @param storeSlowDowns      requests S3 turned away with 503 SlowDown for the prefix's request rate (with --store-model s3*)
 */
@Json
public record SimulationReport(
        String scenario,
        long seed,
        int nodes,
        int zones,
        int capacity,
        int slots,
        int slotsHeld,
        long volumesCreated,
        long idempotentCreates,
        long snapshots,
        long casAttempts,
        double casAttemptsPerNode,
        int happyPathCalls,
        int happyPathCallsMax,
        long spiCalls,
        long cloudCalls,
        long storeCalls,
        long crashes,
        long claimErrors,
        long unexplainedClaimErrors,
        long fullOutcomes,
        long throttled,
        long convergeMillis,
        long slowestClaimMillis,
        long singleClaimMillis,
        double claimTimeRatio,
        long simulatedMillis,
        long steps,
        int violations,
        List<Violation> violationDetails,
        List<String> shortestTrace,
        long snapshotsTaken,
        long snapshotsDeleted,
        long movesFromLatestSnapshot,
        double maxDataLossMinutes,
        int maxSnapshotAgeMinutes,
        long retiredVolumesAttached,
        List<String> waitingMessages,
        long addressesAllocated,
        long addressMoves,
        long interfacesCreated,
        String storeModel,
        Long storeRequests,
        Double storeRequestsPerClaim,
        Long storeSlowDowns) {

    public SimulationReport {
        violationDetails = List.copyOf(violationDetails);
        shortestTrace = List.copyOf(shortestTrace);
        waitingMessages = List.copyOf(waitingMessages);
    }
}
