package dev.berth.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.aws.AwsEndToEndMotoTest.Fleet;
import dev.berth.aws.AwsEndToEndMotoTest.Node;
import dev.berth.core.claim.ClaimException;
import dev.berth.core.claim.ClaimOutcome;
import dev.berth.core.claim.ClaimSettings;
import dev.berth.core.claim.CrossZonePolicy;
import dev.berth.core.claim.SlotLease;
import dev.berth.core.claim.SnapshotOutcome;
import dev.berth.core.claim.SnapshotRetention;
import dev.berth.core.claim.Ticker;
import dev.berth.core.slot.SlotRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Issue 15 on moto: {@code berth snapshot}'s code path ({@link dev.berth.core.claim.PeriodicSnapshot}) makes
 * tagged snapshots of the held slot's volume, records the newest in the slot and keeps {@code snapshots.keep};
 * then zone a goes down ({@link ZoneOutage}: its volumes can be neither snapshotted nor attached nor
 * detached) with its instance, and a claim in zone b under {@code crossZone: latest-snapshot} builds the
 * slot's new volume from the recorded snapshot, retires the old one and keeps the identity. A snapshot
 * older than {@code snapshots.maxSnapshotAgeMinutes} makes the move wait, bounded, and say why.
 *
 * <p>moto 5.2.1 completes a snapshot at once (CreateSnapshot already answers {@code completed}, 100%), so
 * the waits for completion end on their first look here; the simulator plays pending, heavy-tailed
 * snapshots. Time is a clock the test moves forward (berth tags a snapshot with the minute it started).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ZoneOutageMotoTest {
    private static final String ZONE_A = "us-east-1a";
    private static final String ZONE_B = "us-east-1b";

    @TempDir
    Path tmp;

    private Fleet fleet;
    private final MovableClock clock = new MovableClock();

    @BeforeAll
    static void createBucketAndKey() {
        AwsEndToEndMotoTest.createBucketAndKey();
    }

    @AfterAll
    static void deleteBucketAndKey() {
        AwsEndToEndMotoTest.deleteBucketAndKey();
    }

    @BeforeEach
    void newFleet() throws Exception {
        fleet = new Fleet(MotoWorld.unique("zone"), tmp, 1);
        fleet.crossZone = CrossZonePolicy.LATEST_SNAPSHOT;
        fleet.ticker = clock;
    }

    @AfterEach
    void cleanUp() {
        fleet.close();
        try (var ec2 = MotoWorld.ec2()) {
            for (var id : snapshotsOfCluster().keySet()) {
                ec2.deleteSnapshot(r -> r.snapshotId(id));
            }
        }
    }

    @Test
    void aClaimInAnotherZoneBuildsTheSlotsVolumeFromItsLatestRecordedSnapshotWhenTheOldZoneIsDown() throws Exception {
        fleet.snapshots = new ClaimSettings.SnapshotSettings(60, 2, 120);
        var holder = fleet.nodes().getFirst();
        assertEquals(ZONE_A, holder.zone);
        var holderCloud = new ZoneOutage(holder.provider, fleet.devices);
        var lease = claimed(fleet.claim(holder, holderCloud));
        var oldVolume = lease.volumeId();

        // four runs of berth snapshot an hour apart; keep 2
        var taken = new ArrayList<SlotRecord.SnapshotRef>();
        var deleted = new ArrayList<String>();
        for (int run = 0; run < 4; run++) {
            clock.advanceMinutes(61);
            Files.writeString(holder.mountPoint.resolve("written-before-snapshot-" + run), "block " + run);
            long before = clock.nowMillis();
            var outcome = assertInstanceOf(SnapshotOutcome.Taken.class, fleet.snapshot(holder, holderCloud), fleet.log());
            var minutes = List.of(SnapshotRetention.takenTag(before), SnapshotRetention.takenTag(clock.nowMillis()));
            assertTrue(outcome.recorded(), "run " + run + " recorded its snapshot\n" + fleet.log());
            assertEquals(lease.slot(), outcome.slot());
            assertEquals(oldVolume, outcome.snapshot().volumeId());
            taken.add(outcome.snapshot());
            deleted.addAll(outcome.deleted());
            var tags = snapshotsOfCluster().get(outcome.snapshot().snapshotId());
            assertEquals(fleet.cluster, tags.get("berth:cluster"), "tags of " + outcome.snapshot().snapshotId() + ": " + tags);
            assertEquals(Integer.toString(lease.slot()), tags.get("berth:slot"));
            assertEquals(Long.toString(lease.epoch()), tags.get("berth:epoch"));
            assertTrue(minutes.contains(tags.get("berth:taken")), "the minute it started: " + tags + " " + minutes);
            assertEquals(outcome.snapshot(), fleet.records().get(lease.slot()).latestSnapshot(), "the slot records the newest");
        }
        var latest = taken.getLast();
        assertEquals(4, taken.stream().map(SlotRecord.SnapshotRef::snapshotId).distinct().count());
        assertEquals(List.of(taken.get(0).snapshotId(), taken.get(1).snapshotId()), deleted,
                "retention deletes the two oldest, each once");
        assertEquals(Set.of(taken.get(2).snapshotId(), latest.snapshotId()), snapshotsOfCluster().keySet(),
                "moto keeps the newest two");
        try (var ec2 = MotoWorld.ec2()) {
            var state = ec2.describeSnapshots(r -> r.snapshotIds(latest.snapshotId())).snapshots().getFirst();
            assertEquals("completed", state.stateAsString(), "moto completes snapshots at once");
        }
        // a write after the last snapshot: what the move from it loses
        Files.writeString(holder.mountPoint.resolve("written-after-snapshot"), "lost");

        // zone a goes down with its instance; the group's replacement boots in zone b
        clock.advanceMinutes(10);
        var mover = fleet.replace(holder, ZONE_B);
        var moverCloud = new ZoneOutage(mover.provider, fleet.devices);
        moverCloud.down(ZONE_A);
        var moved = claimed(fleet.claim(mover, moverCloud));

        assertEquals(lease.slot(), moved.slot(), fleet.log());
        assertTrue(moved.epoch() > lease.epoch());
        assertNotEquals(oldVolume, moved.volumeId());
        var volume = fleet.describeVolume(moved.volumeId());
        assertEquals(ZONE_B, volume.availabilityZone());
        assertEquals(latest.snapshotId(), volume.snapshotId(), "the new volume is built from the recorded snapshot");
        var record = fleet.records().get(lease.slot());
        assertEquals(new SlotRecord.VolumeRef(moved.volumeId(), ZONE_B), record.volume());
        assertEquals(List.of(new SlotRecord.VolumeRef(oldVolume, ZONE_A)), record.retiredVolumes());
        assertNull(record.volumeIntent());
        var oldTags = fleet.describeVolume(oldVolume).tags().stream().collect(Collectors.toMap(Tag::key, Tag::value));
        assertTrue(oldTags.getOrDefault("berth:retired", "").contains(moved.volumeId()), "old volume's tags: " + oldTags);
        assertTrue(fleet.log().contains("from its latest snapshot " + latest.snapshotId()), fleet.log());

        // the identity followed the slot; the data is the snapshot's
        assertEquals(lease.identity().orElseThrow().fingerprint(), moved.identity().orElseThrow().fingerprint());
        assertEquals(lease.identity().orElseThrow().publicName(), record.identity().publicName());
        assertTrue(Files.isRegularFile(mover.mountPoint.resolve("geth/nodekey")));
        assertTrue(Files.isRegularFile(mover.mountPoint.resolve("written-before-snapshot-3")));
        assertFalse(Files.exists(mover.mountPoint.resolve("written-after-snapshot")), "written after the snapshot: lost");
        assertEquals(2, fleet.clusterVolumes().size(), "the new volume, and the retired one kept for its zone's return");

        // zone a comes back: a re-run keeps the new volume; the retired one is never the slot's again
        var again = fleet.claim(mover, mover.provider);
        assertEquals(moved.volumeId(), lease(again).volumeId(), fleet.log());
    }

    @Test
    void aSnapshotOlderThanTheBoundMakesTheMoveWaitBoundedAndSayWhyAndCreatesNoVolume() throws Exception {
        fleet.snapshots = new ClaimSettings.SnapshotSettings(60, 3, 30);
        fleet.snapshotWaitMillis = 3_000;
        var holder = fleet.nodes().getFirst();
        var holderCloud = new ZoneOutage(holder.provider, fleet.devices);
        var lease = claimed(fleet.claim(holder, holderCloud));
        var snapshot = assertInstanceOf(SnapshotOutcome.Taken.class, fleet.snapshot(holder, holderCloud)).snapshot();

        clock.advanceMinutes(45);   // the bound is 30 minutes
        var mover = fleet.replace(holder, ZONE_B);
        var moverCloud = new ZoneOutage(mover.provider, fleet.devices);
        moverCloud.down(ZONE_A);
        var before = fleet.records().get(lease.slot());
        long started = System.nanoTime();
        var refused = assertThrows(ClaimException.class, () -> fleet.claim(mover, moverCloud), fleet.log());
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertEquals(ClaimException.Kind.TIMEOUT, refused.kind(), refused.getMessage());
        var message = refused.getMessage();
        for (var part : List.of(snapshot.snapshotId(), "snapshots.maxSnapshotAgeMinutes", "zone " + ZONE_A, lease.volumeId())) {
            assertTrue(message.contains(part), "'" + part + "' in: " + message);
        }
        // the taken tag keeps the minute only, so a snapshot taken late in a minute is a minute older than the 45 moved
        assertTrue(message.contains("45 minutes old") || message.contains("46 minutes old"), "its age in: " + message);
        assertTrue(tookMillis < 60_000, "bounded by waits.snapshotSeconds (3 s here), took " + tookMillis + " ms");
        assertEquals(List.of(lease.volumeId()), fleet.clusterVolumes().stream()
                .map(software.amazon.awssdk.services.ec2.model.Volume::volumeId).toList(), "no volume created");
        var after = fleet.records().get(lease.slot());
        assertEquals(before.volume(), after.volume());
        assertEquals(List.of(), after.retiredVolumes());
        assertNull(after.volumeIntent());
    }

    private static SlotLease claimed(ClaimOutcome outcome) {
        return assertInstanceOf(ClaimOutcome.Claimed.class, outcome, String.valueOf(outcome)).lease();
    }

    private static SlotLease lease(ClaimOutcome outcome) {
        return switch (outcome) {
            case ClaimOutcome.Claimed c -> c.lease();
            case ClaimOutcome.Resumed r -> r.lease();
            default -> throw new AssertionError("not holding a slot: " + outcome);
        };
    }

    /** The cluster's snapshots on moto, with their tags. */
    private Map<String, Map<String, String>> snapshotsOfCluster() {
        try (var ec2 = MotoWorld.ec2()) {
            return ec2.describeSnapshots(r -> r.ownerIds("self").filters(Filter.builder().name("tag:berth:cluster")
                            .values(fleet.cluster).build())).snapshots().stream()
                    .collect(Collectors.toMap(s -> s.snapshotId(),
                            s -> s.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value))));
        }
    }

    /** The wall clock plus an offset the test moves forward; waits really sleep. */
    private static final class MovableClock implements Ticker {
        private final AtomicLong offset = new AtomicLong();

        void advanceMinutes(long minutes) {
            offset.addAndGet(minutes * 60_000);
        }

        @Override
        public long nowMillis() {
            return System.currentTimeMillis() + offset.get();
        }

        @Override
        public void sleep(long millis) {
            Ticker.system().sleep(millis);
        }

        @Override
        public long jitter(long boundMillis) {
            return Ticker.system().jitter(boundMillis);
        }
    }
}
