package dev.berth.provider.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.berth.spi.AttachmentState;
import dev.berth.spi.CloudProvider;
import dev.berth.spi.InstanceState;
import dev.berth.spi.Volume;
import dev.berth.spi.VolumeQuery;
import dev.berth.spi.VolumeRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * What the core relies on from any {@link CloudProvider}, seen from the instance the provider
 * says it runs as. A subclass supplies the provider (running as a group member) and the
 * group's desired capacity; run it against every provider and the simulator so they agree.
 * Waits are bounded: describe calls may lag, so "eventually" means within {@link #waitMillis()}.
 */
public abstract class CloudProviderContract {

    /** The provider under test, running as one member of its group. */
    protected abstract CloudProvider provider();

    /** The desired capacity the group was set up with. */
    protected abstract int expectedDesiredCapacity();

    /** An instance id of the provider's format that the cloud has never seen. */
    protected String unknownInstanceId() {
        return "i-0feedfacecafe0000";
    }

    protected long waitMillis() {
        return 20_000;
    }

    /** Between two looks at something that lags: 200 ms of wall time (a simulator lets its clock run instead). */
    protected void waitABit() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while waiting");
        }
    }

    private final String cluster = "contract-" + UUID.randomUUID().toString().substring(0, 8);

    private VolumeRequest request(String slot, String token) {
        var zone = provider().self().zone();
        return new VolumeRequest(zone, 1, "gp3", OptionalInt.empty(), OptionalInt.empty(), false, Optional.empty(),
                Optional.empty(), Map.of("berth:cluster", cluster, "berth:slot", slot), token);
    }

    private <T> T eventually(String what, Supplier<Optional<T>> probe) {
        long deadline = System.currentTimeMillis() + waitMillis();
        while (true) {
            var value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.currentTimeMillis() > deadline) {
                fail("not within " + waitMillis() + " ms: " + what);
            }
            waitABit();
        }
    }

    @Test
    void createVolumeIsIdempotentOnItsClientToken() {
        var token = "berth-" + UUID.randomUUID().toString().replace("-", "");
        var first = provider().createVolume(request("0", token));
        var second = provider().createVolume(request("0", token));
        assertEquals(first.volumeId(), second.volumeId(), "the same client token must give the same volume");
        var found = eventually("volume " + first.volumeId() + " visible",
                () -> Optional.of(provider().findVolumes(new VolumeQuery(Map.of("berth:cluster", cluster), Optional.empty())))
                        .filter(l -> !l.isEmpty()));
        assertEquals(List.of(first.volumeId()), found.stream().map(Volume::volumeId).toList(), "one volume, not two");
    }

    @Test
    void aCreatedVolumeIsEventuallyFoundByItsTagsAndZone() {
        var created = provider().createVolume(request("1", "berth-" + UUID.randomUUID().toString().replace("-", "")));
        var zone = provider().self().zone();
        var query = new VolumeQuery(Map.of("berth:cluster", cluster, "berth:slot", "1"), Optional.of(zone));
        var found = eventually("volume " + created.volumeId() + " found by tags in " + zone,
                () -> provider().findVolumes(query).stream().filter(v -> v.volumeId().equals(created.volumeId())).findFirst());
        assertEquals(zone, found.zone());
        assertEquals(cluster, found.tags().get("berth:cluster"));
        var elsewhere = new VolumeQuery(Map.of("berth:cluster", cluster, "berth:slot", "2"), Optional.of(zone));
        assertTrue(provider().findVolumes(elsewhere).isEmpty(), "another slot's tag finds nothing");
    }

    @Test
    void attachThenDescribeShowsTheAttachmentToSelf() {
        var self = provider().self().instanceId();
        var created = provider().createVolume(request("3", "berth-" + UUID.randomUUID().toString().replace("-", "")));
        eventually("volume " + created.volumeId() + " available", () -> provider().describeVolume(created.volumeId())
                .filter(v -> v.state() == dev.berth.spi.VolumeState.AVAILABLE));
        var attachment = provider().attachVolume(created.volumeId());
        assertEquals(self, attachment.instanceId());
        assertTrue(attachment.deviceName().startsWith("/dev/"), attachment.deviceName());
        var seen = eventually("volume " + created.volumeId() + " attached to " + self, () -> provider()
                .describeVolume(created.volumeId()).flatMap(v -> v.attachmentTo(self))
                .filter(a -> a.state() == AttachmentState.ATTACHED));
        assertEquals(attachment.deviceName(), seen.deviceName());
        provider().detachVolume(created.volumeId());
        eventually("volume " + created.volumeId() + " detached from " + self, () -> provider()
                .describeVolume(created.volumeId()).filter(v -> v.attachmentTo(self).isEmpty()
                        || v.attachmentTo(self).get().state() == AttachmentState.DETACHED));
    }

    @Test
    void detachOfAVolumeNotAttachedToSelfIsANoOp() {
        var created = provider().createVolume(request("4", "berth-" + UUID.randomUUID().toString().replace("-", "")));
        eventually("volume " + created.volumeId() + " visible", () -> provider().describeVolume(created.volumeId()));
        provider().detachVolume(created.volumeId());
        assertTrue(provider().describeVolume(created.volumeId()).orElseThrow().attachments().isEmpty());
    }

    @Test
    void describeOfAnUnknownVolumeIsEmpty() {
        assertEquals(Optional.empty(), provider().describeVolume("vol-0feedfacecafe0000"));
    }

    @Test
    void instanceStatesLeavesOutUnknownIds() {
        var self = provider().self().instanceId();
        var states = provider().instanceStates(List.of(self, unknownInstanceId()));
        assertEquals(InstanceState.RUNNING, states.get(self));
        assertFalse(states.containsKey(unknownInstanceId()), "unknown ids are absent: " + states);
    }

    @Test
    void groupReportsDesiredCapacityAndSelfAmongItsMembers() {
        var group = provider().group();
        assertEquals(expectedDesiredCapacity(), group.desiredCapacity());
        assertEquals(provider().self().groupName().orElseThrow(), group.name());
        assertTrue(group.members().stream().anyMatch(m -> m.instanceId().equals(provider().self().instanceId())),
                "self among " + group.members());
        assertFalse(group.zones().isEmpty());
    }
}
