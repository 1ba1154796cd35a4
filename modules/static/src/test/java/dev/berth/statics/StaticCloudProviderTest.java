package dev.berth.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.store.FileClaimStore;
import dev.berth.spi.AttachmentState;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.CloudException;
import dev.berth.spi.VolumeQuery;
import dev.berth.spi.VolumeRequest;
import dev.berth.spi.VolumeState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Directory volumes of the static provider: idempotent creation, attach state on disk, bare-metal refusals. */
class StaticCloudProviderTest {
    private static final long TTL = 3_000;

    @TempDir
    Path dir;
    private ClaimStore store;
    private StaticTestTicker ticker;

    @BeforeEach
    void open() {
        store = FileClaimStore.open(dir.resolve("store"));
        ticker = new StaticTestTicker(5_000_000);
    }

    private StaticSettings settings(String instance) {
        return new StaticSettings("lab", instance, "rack-a", "local", List.of(), 2, TTL, dir.resolve("volumes"));
    }

    private StaticCloudProvider provider(String instance) {
        return new StaticCloudProvider(store, settings(instance), ticker);
    }

    private static VolumeRequest request(String token) {
        return request(token, "0");
    }

    private static VolumeRequest request(String token, String slot) {
        return new VolumeRequest("rack-a", 10, "dir", OptionalInt.empty(), OptionalInt.empty(), false, Optional.empty(),
                Optional.empty(), Map.of("berth:cluster", "lab", "berth:slot", slot), token);
    }

    @Test
    void aVolumeOnAnotherMachineIsRefusedAtOnceInsteadOfAwaited() {
        var hostA = new StaticCloudProvider(store, new StaticSettings("lab", "pc-1", "rack-a", "local", List.of(), 2, TTL,
                dir.resolve("host-a")), ticker);
        var hostB = new StaticCloudProvider(store, new StaticSettings("lab", "pc-2", "rack-a", "local", List.of(), 2, TTL,
                dir.resolve("host-b")), ticker);
        var volume = hostA.createVolume(request("lab-0-rack-a-1"));
        hostA.attachVolume(volume.volumeId());
        var refused = assertThrows(CloudException.class, () -> hostB.attachVolume(volume.volumeId()));
        assertEquals(CloudException.Reason.INVALID, refused.reason(), "not NOT_FOUND: waiting would never make it appear");
        assertTrue(refused.getMessage().contains(volume.volumeId()) && refused.getMessage().contains("not on this machine")
                && refused.getMessage().contains("pc-2") && refused.getMessage().contains("previous holder"),
                refused.getMessage());
    }

    @Test
    void selfIsTheConfiguredIdentity() {
        var me = provider("pc-1").self();
        assertEquals("pc-1", me.instanceId());
        assertEquals("rack-a", me.zone());
        assertEquals("local", me.region());
        assertEquals(Optional.of("lab"), me.groupName());
    }

    @Test
    void createVolumeIsIdempotentOnTheClientToken() {
        var provider = provider("pc-1");
        var first = provider.createVolume(request("lab-0-rack-a-1"));
        var again = provider.createVolume(request("lab-0-rack-a-1"));
        var elsewhere = provider("pc-2").createVolume(request("lab-0-rack-a-1"));
        var other = provider.createVolume(request("lab-1-rack-a-1", "1"));
        assertEquals(first.volumeId(), again.volumeId());
        assertEquals(first.volumeId(), elsewhere.volumeId());
        assertNotEquals(first.volumeId(), other.volumeId());
        assertEquals(VolumeState.AVAILABLE, first.state());
        assertEquals("rack-a", first.zone());
        assertEquals(2, provider.findVolumes(new VolumeQuery(Map.of("berth:cluster", "lab"), Optional.of("rack-a"))).size());
        assertEquals(List.of(first.volumeId()), provider.findVolumes(new VolumeQuery(Map.of("berth:slot", "0"),
                Optional.empty())).stream().map(v -> v.volumeId()).toList());
        assertTrue(provider.findVolumes(new VolumeQuery(Map.of(), Optional.of("rack-b"))).isEmpty());
    }

    @Test
    void attachStateSurvivesANewProcess() {
        var volumeId = provider("pc-1").createVolume(request("t-1")).volumeId();
        var attachment = provider("pc-1").attachVolume(volumeId);
        assertEquals(AttachmentState.ATTACHED, attachment.state());
        assertEquals(dir.resolve("volumes").resolve(volumeId).toString(), attachment.deviceName());
        assertTrue(Files.isDirectory(Path.of(attachment.deviceName())));

        var restarted = provider("pc-1"); // a new process: nothing in memory
        var seen = restarted.describeVolume(volumeId).orElseThrow();
        assertEquals(VolumeState.IN_USE, seen.state());
        assertEquals(AttachmentState.ATTACHED, seen.attachmentTo("pc-1").orElseThrow().state());
        assertEquals(attachment, restarted.attachVolume(volumeId), "attaching again is idempotent");

        restarted.detachVolume(volumeId);
        var detached = provider("pc-1").describeVolume(volumeId).orElseThrow();
        assertEquals(VolumeState.AVAILABLE, detached.state());
        assertTrue(detached.attachments().isEmpty());
    }

    @Test
    void aVolumeOfALiveHolderIsNotTakenButOneOfAnExpiredHolderIs() {
        var volumeId = provider("pc-1").createVolume(request("t-2")).volumeId();
        new LeaseKeeper(store, settings("pc-1"), ticker, "s1").acquireOrRenew();
        provider("pc-1").attachVolume(volumeId);

        var busy = assertThrows(CloudException.class, () -> provider("pc-2").attachVolume(volumeId));
        assertEquals(CloudException.Reason.CONFLICT, busy.reason());
        assertTrue(busy.getMessage().contains("pc-1"), busy.getMessage());
        provider("pc-2").detachVolume(volumeId); // not attached to pc-2: a no-op
        assertTrue(provider("pc-2").describeVolume(volumeId).orElseThrow().attachmentTo("pc-1").isPresent());

        ticker.advance(TTL);
        var taken = provider("pc-2").attachVolume(volumeId);
        assertEquals("pc-2", taken.instanceId());
        assertTrue(provider("pc-1").describeVolume(volumeId).orElseThrow().attachmentTo("pc-1").isEmpty());
    }

    @Test
    void unknownVolumesAndOtherZonesAreRefused() {
        var provider = provider("pc-1");
        assertEquals(Optional.empty(), provider.describeVolume("vol-0123456789abcdef0"));
        assertEquals(Optional.empty(), provider.describeVolume("../../etc"));
        assertEquals(CloudException.Reason.INVALID,
                assertThrows(CloudException.class, () -> provider.attachVolume("vol-0123456789abcdef0")).reason());
        assertEquals(CloudException.Reason.NOT_FOUND,
                assertThrows(CloudException.class, () -> provider.attachVolume("../../etc")).reason());
        var wrongZone = new VolumeRequest("rack-b", 10, "dir", OptionalInt.empty(), OptionalInt.empty(), false,
                Optional.empty(), Optional.empty(), Map.of(), "t-3");
        assertEquals(CloudException.Reason.INVALID, assertThrows(CloudException.class,
                () -> provider.createVolume(wrongZone)).reason());
    }

    @Test
    void bareMetalCannotSnapshotOrTerminateItself() {
        var provider = provider("pc-1");
        var volumeId = provider.createVolume(request("t-4")).volumeId();
        var snapshot = assertThrows(CloudException.class, () -> provider.createSnapshot(volumeId, Map.of()));
        assertEquals(CloudException.Reason.INVALID, snapshot.reason());
        assertTrue(snapshot.getMessage().contains("does not move volumes between machines"));
        assertThrows(CloudException.class, () -> provider.describeSnapshot("snap-1"));
        var terminate = assertThrows(CloudException.class, () -> provider.terminateSelf("cluster full"));
        assertEquals(CloudException.Reason.INVALID, terminate.reason());
        provider.markSelfUnhealthy("cluster full");
        provider.tag(volumeId, Map.of("berth:retired", "yes"));
        assertEquals("yes", provider.describeVolume(volumeId).orElseThrow().tags().get("berth:retired"));
        provider.tag("snap-1", Map.of("a", "b"));
    }
}
