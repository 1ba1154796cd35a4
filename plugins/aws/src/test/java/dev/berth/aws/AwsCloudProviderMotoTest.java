package dev.berth.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.CloudException;
import dev.berth.spi.CloudException.Reason;
import dev.berth.spi.CloudProvider;
import dev.berth.spi.InstanceState;
import dev.berth.spi.LifecycleAction;
import dev.berth.spi.LifecycleState;
import dev.berth.spi.SnapshotState;
import dev.berth.spi.VolumeRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.model.Instance;

/** The AWS provider against moto, as one member of a fresh group, with IMDSv2 served by a fixture. */
class AwsCloudProviderMotoTest {
    private static String group;
    private static List<Instance> members;
    private static ImdsFixture imds;
    private static CloudProvider provider;

    @BeforeAll
    static void setUp() throws Exception {
        group = MotoWorld.unique("berth-aws");
        members = MotoWorld.createGroup(group, 3);
        // no instance tags in the metadata: the group comes from DescribeAutoScalingInstances
        imds = ImdsFixture.of(members.getFirst().instanceId(), members.getFirst().availabilityZone(), null);
        provider = new AwsCloudProviderFactory().create(MotoWorld.config(imds.endpoint()));
    }

    @AfterAll
    static void tearDown() {
        provider.close();
        imds.close();
    }

    private static VolumeRequest request(String zone) {
        return new VolumeRequest(zone, 2, "gp3", OptionalInt.of(3000), OptionalInt.of(125), true, Optional.empty(),
                Optional.empty(), Map.of("berth:cluster", "moto-test", "berth:slot", "7"),
                "berth-" + UUID.randomUUID().toString().replace("-", ""));
    }

    @Test
    void findsItsGroupThroughAutoScalingWhenTagsAreNotInTheMetadata() {
        var me = provider.self();
        assertEquals(Optional.of(group), me.groupName());
        assertEquals(members.getFirst().instanceId(), me.instanceId());
        var view = provider.group();
        assertEquals(3, view.desiredCapacity());
        assertEquals(MotoWorld.ZONES, view.zones().stream().sorted().toList());
        assertEquals(3, view.members().size());
        assertTrue(view.members().stream().allMatch(m -> m.lifecycleState() == LifecycleState.IN_SERVICE && m.healthy()));
    }

    @Test
    void instanceStatesOfManyIdsInBatches() {
        var ids = new java.util.ArrayList<String>();
        members.forEach(m -> ids.add(m.instanceId()));
        for (int i = 0; i < 450; i++) {
            ids.add(String.format("i-%017x", 0xdead0000L + i));
        }
        var states = provider.instanceStates(ids);
        assertEquals(3, states.size(), states.toString());
        assertTrue(states.values().stream().allMatch(s -> s == InstanceState.RUNNING));
    }

    @Test
    void createsWithTypeIopsThroughputAndEncryption() {
        var created = provider.createVolume(request(provider.self().zone()));
        try (var ec2 = MotoWorld.ec2()) {
            var v = ec2.describeVolumes(r -> r.volumeIds(created.volumeId())).volumes().getFirst();
            assertEquals("gp3", v.volumeTypeAsString());
            assertEquals(2, v.size());
            assertEquals(3000, v.iops());
            assertEquals(true, v.encrypted());
            assertTrue(v.tags().stream().anyMatch(t -> t.key().equals("berth:slot") && t.value().equals("7")));
        }
    }

    @Test
    void aZoneOutsideTheRegionIsInvalid() {
        var e = assertThrows(CloudException.class, () -> provider.createVolume(request("eu-west-1a")));
        assertEquals(Reason.INVALID, e.reason());
        assertTrue(e.getMessage().contains("zone eu-west-1a is not in region us-east-1"), e.getMessage());
    }

    @Test
    void aMissingSeedSnapshotIsNotFoundNamingIt() {
        var base = request(provider.self().zone());
        var seeded = new VolumeRequest(base.zone(), 2, "gp3", OptionalInt.empty(), OptionalInt.empty(), false,
                Optional.empty(), Optional.of("snap-0feedfacecafe0000"), base.tags(), base.clientToken());
        var e = assertThrows(CloudException.class, () -> provider.createVolume(seeded));
        assertEquals(Reason.NOT_FOUND, e.reason());
        assertEquals("snap-0feedfacecafe0000", e.resource());
        assertTrue(e.getMessage().contains("ec2:CreateVolume: InvalidSnapshot.NotFound"), e.getMessage());
    }

    @Test
    void twoAttachmentsGetTwoFreeDeviceNames() {
        var zone = provider.self().zone();
        var first = provider.attachVolume(provider.createVolume(request(zone)).volumeId());
        var second = provider.attachVolume(provider.createVolume(request(zone)).volumeId());
        assertNotEquals(first.deviceName(), second.deviceName());
        assertTrue(first.deviceName().matches("/dev/sd[f-p]"), first.deviceName());
        assertEquals(first.deviceName(), provider.attachVolume(first.volumeId()).deviceName(),
                "attaching an attached volume again returns its attachment");
        provider.detachVolume(first.volumeId());
        provider.detachVolume(second.volumeId());
    }

    @Test
    void aVolumeInUseByAnotherInstanceIsAConflict() {
        var zone = provider.self().zone();
        var other = members.stream().filter(m -> m.availabilityZone().equals(zone)
                && !m.instanceId().equals(provider.self().instanceId())).findFirst().orElseThrow();
        var volume = provider.createVolume(request(zone));
        try (var ec2 = MotoWorld.ec2()) {
            ec2.attachVolume(r -> r.volumeId(volume.volumeId()).instanceId(other.instanceId()).device("/dev/sdz"));
        }
        var e = assertThrows(CloudException.class, () -> provider.attachVolume(volume.volumeId()));
        assertEquals(Reason.CONFLICT, e.reason(), "the claim's holder wait waits this out");
        assertTrue(e.getMessage().contains(other.instanceId()), e.getMessage());
        // detach only our own attachment: the other instance keeps it
        provider.detachVolume(volume.volumeId());
        assertEquals(other.instanceId(), provider.describeVolume(volume.volumeId()).orElseThrow().attachments()
                .getFirst().instanceId());
    }

    @Test
    void aVolumeInAnotherZoneIsInvalidToAttach() {
        var zone = MotoWorld.ZONES.stream().filter(z -> !z.equals(provider.self().zone())).findFirst().orElseThrow();
        var volume = provider.createVolume(request(zone));
        var e = assertThrows(CloudException.class, () -> provider.attachVolume(volume.volumeId()));
        assertEquals(Reason.INVALID, e.reason());
        assertTrue(e.getMessage().contains("is in zone " + zone), e.getMessage());
    }

    @Test
    void anUnknownVolumeIsNotFoundToAttach() {
        var e = assertThrows(CloudException.class, () -> provider.attachVolume("vol-0feedfacecafe0000"));
        assertEquals(Reason.NOT_FOUND, e.reason());
        assertEquals("vol-0feedfacecafe0000", e.resource());
    }

    @Test
    void snapshotsAndTags() {
        var volume = provider.createVolume(request(provider.self().zone()));
        var snapshot = provider.createSnapshot(volume.volumeId(), Map.of("berth:cluster", "moto-test", "berth:slot", "7"));
        assertEquals(volume.volumeId(), snapshot.volumeId());
        var seen = provider.describeSnapshot(snapshot.snapshotId()).orElseThrow();
        assertEquals(SnapshotState.COMPLETED, seen.state());
        assertEquals("moto-test", seen.tags().get("berth:cluster"));
        assertEquals(Optional.empty(), provider.describeSnapshot("snap-0feedfacecafe0000"));
        provider.tag(volume.volumeId(), Map.of("berth:moved-to", "us-east-1c"));
        assertEquals("us-east-1c", provider.describeVolume(volume.volumeId()).orElseThrow().tags().get("berth:moved-to"));
    }

    @Test
    void aSecondCreateSnapshotWithTheSameTagsReturnsTheFirstAndKnowsItsSize() {
        var volume = provider.createVolume(request(provider.self().zone()));
        var tags = Map.of("berth:cluster", "moto-test", "berth:slot", "7", "berth:epoch", "3");
        var first = provider.createSnapshot(volume.volumeId(), tags);
        assertEquals(2, first.sizeGiB());
        var again = provider.createSnapshot(volume.volumeId(), tags);
        assertEquals(first.snapshotId(), again.snapshotId(), "no second snapshot after a crash before its record");
        assertEquals(2, provider.describeSnapshot(first.snapshotId()).orElseThrow().sizeGiB());
        var nextEpoch = provider.createSnapshot(volume.volumeId(), Map.of("berth:cluster", "moto-test", "berth:slot", "7",
                "berth:epoch", "4"));
        assertNotEquals(first.snapshotId(), nextEpoch.snapshotId(), "another epoch's move takes a fresh snapshot");
        var other = provider.createVolume(request(provider.self().zone()));
        assertNotEquals(first.snapshotId(), provider.createSnapshot(other.volumeId(), tags).snapshotId(),
                "another volume's snapshot is never reused");
    }

    @Test
    void findsASlotsPeriodicSnapshotsByTagAndDeletesOnlyBerthsOwn() {
        var volume = provider.createVolume(request(provider.self().zone()));
        var cluster = MotoWorld.unique("moto-find");
        var slotTags = Map.of("berth:cluster", cluster, "berth:slot", "3", "berth:kind", "periodic");
        var older = new java.util.HashMap<>(slotTags);
        older.put("berth:taken", "2026-01-01T00:00:00Z");
        var newer = new java.util.HashMap<>(slotTags);
        newer.put("berth:taken", "2026-01-01T01:00:00Z");
        var first = provider.createSnapshot(volume.volumeId(), older);
        var second = provider.createSnapshot(volume.volumeId(), newer);
        provider.createSnapshot(volume.volumeId(), Map.of("berth:cluster", cluster, "berth:slot", "4", "berth:kind", "periodic"));
        var found = provider.findSnapshots(slotTags).stream().map(s -> s.snapshotId()).sorted().toList();
        assertEquals(java.util.stream.Stream.of(first.snapshotId(), second.snapshotId()).sorted().toList(), found);
        provider.deleteSnapshot(first.snapshotId());
        assertEquals(Optional.empty(), provider.describeSnapshot(first.snapshotId()));
        provider.deleteSnapshot(first.snapshotId());   // gone already: a no-op
        assertEquals(List.of(second.snapshotId()), provider.findSnapshots(slotTags).stream().map(s -> s.snapshotId()).toList());
        var foreign = provider.createSnapshot(volume.volumeId(), Map.of("owner", "someone-else"));
        var refused = assertThrows(CloudException.class, () -> provider.deleteSnapshot(foreign.snapshotId()));
        assertEquals(Reason.INVALID, refused.reason());
        assertTrue(provider.describeSnapshot(foreign.snapshotId()).isPresent(), "a snapshot berth did not make stays");
    }

    @Test
    void marksItselfUnhealthy() throws Exception {
        String name = MotoWorld.unique("berth-unhealthy");
        var self = MotoWorld.createGroup(name, 1).getFirst();
        try (var fixture = ImdsFixture.of(self.instanceId(), self.availabilityZone(), name);
             var own = new AwsCloudProviderFactory().create(MotoWorld.config(fixture.endpoint()))) {
            own.markSelfUnhealthy("test: zone full");
            try (var asg = MotoWorld.autoScaling()) {
                assertEquals("Unhealthy", asg.describeAutoScalingInstances(r -> r.instanceIds(self.instanceId()))
                        .autoScalingInstances().getFirst().healthStatus());
            }
        }
    }

    @Test
    void terminatesItselfKeepingTheDesiredCapacity() throws Exception {
        String name = MotoWorld.unique("berth-terminate");
        var self = MotoWorld.createGroup(name, 2).getFirst();
        try (var fixture = ImdsFixture.of(self.instanceId(), self.availabilityZone(), name);
             var own = new AwsCloudProviderFactory().create(MotoWorld.config(fixture.endpoint()))) {
            own.terminateSelf("test: zone full");
            var view = own.group();
            assertEquals(2, view.desiredCapacity());
            var state = own.instanceStates(List.of(self.instanceId())).get(self.instanceId());
            assertTrue(state == InstanceState.TERMINATED || state == InstanceState.SHUTTING_DOWN, String.valueOf(state));
        }
    }

    @Test
    void completeLifecycleActionIsNotImplementedByMotoAndFailsClearly() {
        // moto 5.2.1 has no CompleteLifecycleAction (HTTP 500): the call is made, and the failure names the hook
        var e = assertThrows(CloudException.class, () -> provider.completeLifecycleAction(
                new LifecycleAction("berth-drain", Optional.empty(), LifecycleAction.Result.CONTINUE)));
        assertEquals(Reason.UNAVAILABLE, e.reason());
        assertEquals(group, e.resource());
        assertTrue(e.getMessage().contains("complete lifecycle hook berth-drain of group " + group), e.getMessage());
    }

    @Test
    void aRegionSettingThatIsNotTheInstancesIsInvalid() throws Exception {
        var config = MotoWorld.config(imds.endpoint()).with("region", "eu-west-1");
        try (var wrong = new AwsCloudProviderFactory().create(config)) {
            var e = assertThrows(CloudException.class, wrong::self);
            assertEquals(Reason.INVALID, e.reason());
            assertTrue(e.getMessage().contains("runs in us-east-1"), e.getMessage());
        }
    }
}
