package dev.berth.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.claim.SlotLease;
import dev.berth.core.claim.Ticker;
import dev.berth.core.slot.SlotCodec;
import dev.berth.core.slot.SlotKeys;
import dev.berth.core.slot.SlotRecord;
import dev.berth.core.store.FileClaimStore;
import dev.berth.spi.BerthException;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.FileSystemDriver;
import dev.berth.spi.MountSpec;
import dev.berth.spi.VolumeRequest;
import dev.berth.spi.Written;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bare-metal holder that lost its lease (a stall past it) or its slot never renews the lease
 * again, and lets go of what it holds on this machine, so that a taker on the same host gets the
 * only mount of the volume. A shutdown is a clean end, not a loss.
 */
class StaticLostLeaseTest {
    private static final long TTL = 3_000;
    private static final String LEASE = "clusters/lab/leases/pc-1";

    @TempDir
    Path dir;
    private ClaimStore store;
    private StaticTestTicker ticker;

    @BeforeEach
    void open() {
        store = FileClaimStore.open(dir.resolve("store"));
        ticker = new StaticTestTicker(1_000_000);
    }

    private StaticSettings settings(String instance) {
        return new StaticSettings("lab", instance, "rack-a", "local", List.of(), 2, TTL, dir.resolve("volumes"));
    }

    private long storedExpiry() {
        return LeaseRecord.parse(LEASE, store.get(LEASE).orElseThrow().value()).expiresAtMillis();
    }

    private void writeSlot(String holder, long epoch) {
        var key = new SlotKeys("lab").slot(0);
        var record = SlotRecord.fresh("lab", 0).withHolder(new SlotRecord.Holder(holder, "rack-a", 1), epoch);
        var bytes = new SlotCodec().encode(record);
        var current = store.get(key);
        assertInstanceOf(Written.class, current.isEmpty() ? store.putIfAbsent(key, bytes)
                : store.compareAndSet(key, current.get().version(), bytes));
    }

    @Test
    void aStallPastTheLeaseIsALossAndTheLeaseIsNotRenewed() {
        var keeper = new LeaseKeeper(store, settings("pc-1"), ticker, "s1");
        keeper.acquire();
        long expiry = storedExpiry();
        var calls = new AtomicInteger();
        var lost = assertThrows(LeaseKeeper.LeaseLostException.class, () -> keeper.runUntilStopped(() -> {
            if (calls.incrementAndGet() == 4) {
                ticker.advance(2 * TTL); // the machine stalls (GC pause, suspend) between two renewals
            }
            return false;
        }));
        assertTrue(lost.getMessage().contains(LEASE) && lost.getMessage().contains("stalled")
                && lost.getMessage().contains("workload must stop"), lost.getMessage());
        assertTrue(storedExpiry() <= ticker.nowMillis(), "a lapsed lease is never renewed");
        assertTrue(storedExpiry() >= expiry);
    }

    @Test
    void aSlotTakenByAnotherInstanceEndsTheRenewals() {
        writeSlot("pc-1", 4);
        var keeper = new LeaseKeeper(store, settings("pc-1"), ticker, "s1");
        keeper.acquire();
        keeper.guard(0, 4);
        keeper.renew();
        long expiry = storedExpiry();
        writeSlot("pc-2", 5); // an operator's --force
        var lost = assertThrows(LeaseKeeper.LeaseLostException.class, keeper::renew);
        assertTrue(lost.getMessage().contains("pc-2") && lost.getMessage().contains("epoch 5"), lost.getMessage());
        assertEquals(expiry, storedExpiry(), "the lease of a slot no longer held is not renewed");
    }

    @Test
    void aLeaseChangedByAnotherWriterIsNotOverwritten() {
        var keeper = new LeaseKeeper(store, settings("pc-1"), ticker, "s1");
        keeper.acquire();
        var current = store.get(LEASE).orElseThrow();
        var foreign = new LeaseRecord("pc-1", "rack-a", ticker.nowMillis() + TTL, "s2").toBytes();
        assertInstanceOf(Written.class, store.compareAndSet(LEASE, current.version(), foreign));
        assertThrows(LeaseKeeper.LeaseLostException.class, keeper::renew);
        assertEquals("s2", LeaseRecord.parse(LEASE, store.get(LEASE).orElseThrow().value()).session());
    }

    @Test
    void aStopThatInterruptsTheWaitIsACleanEndNotALoss() {
        var stop = new AtomicBoolean();
        Ticker interrupted = new Ticker() {
            @Override
            public long nowMillis() {
                return ticker.nowMillis();
            }

            @Override
            public void sleep(long millis) {
                stop.set(true); // SIGTERM: the shutdown hook sets stop and interrupts the renewer
                throw new BerthException("interrupted while waiting; berth is stopping");
            }

            @Override
            public long jitter(long boundMillis) {
                return 0;
            }
        };
        var keeper = new LeaseKeeper(store, settings("pc-1"), interrupted, "s1");
        keeper.acquire();
        keeper.runUntilStopped(stop::get);
        assertTrue(keeper.release());
    }

    @Test
    void aHostileLeaseExpiryIsCorrupt() {
        store.putIfAbsent(LEASE, ("{\"instanceId\":\"pc-1\",\"zone\":\"rack-a\",\"expiresAtMillis\":-5,\"session\":\"x\"}")
                .getBytes(StandardCharsets.UTF_8));
        var e = assertThrows(LeaseRecord.CorruptLeaseException.class,
                () -> LeaseRecord.parse(LEASE, store.get(LEASE).orElseThrow().value()));
        assertTrue(e.getMessage().contains(LEASE) && e.getMessage().contains("expiresAtMillis"), e.getMessage());
    }

    @Test
    void aHolderThatLostItsSlotLetsGoSoThatATakerOnTheSameHostMountsTheOnlyCopy() throws Exception {
        var devices = new StaticBlockDevices();
        var mountPoint = dir.resolve("data");
        var envFile = dir.resolve("berth.env");
        var holder = new StaticCloudProvider(store, settings("pc-1"), ticker);
        var keeper = new LeaseKeeper(store, settings("pc-1"), ticker, "s1");
        keeper.acquire();
        var volume = holder.createVolume(new VolumeRequest("rack-a", 1, "dir", OptionalInt.empty(), OptionalInt.empty(),
                false, Optional.empty(), Optional.empty(), Map.of("berth:cluster", "lab"), "lab-0-rack-a-1"));
        var attachment = holder.attachVolume(volume.volumeId());
        var device = devices.resolve(volume.volumeId(), attachment.deviceName()).orElseThrow();
        devices.mount(device, mountSpec(mountPoint));
        Files.writeString(envFile, "# written by berth claim; do not edit\nBERTH_CLUSTER=lab\nBERTH_SLOT=0\nBERTH_EPOCH=4\n"
                + "BERTH_INSTANCE_ID=pc-1\n");
        var lease = new SlotLease("lab", 0, 4, "pc-1", "rack-a", volume.volumeId(), device.path(), mountPoint,
                Optional.empty(), Optional.empty(), Optional.empty());
        var stopped = new ArrayList<String>();
        var failed = new LostSlotCleanup(settings("pc-1"), devices, holder, message -> { })
                .letGo(lease, envFile, () -> stopped.add("workload"), keeper);

        assertEquals(List.of(), failed);
        assertEquals(List.of("workload"), stopped);
        assertFalse(Files.exists(mountPoint, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the mount link is gone");
        assertFalse(Files.exists(envFile), "the env file is gone");
        assertEquals(Optional.empty(), store.get(LEASE), "the lease is gone");
        assertTrue(holder.describeVolume(volume.volumeId()).orElseThrow().attachments().isEmpty());

        var taker = new StaticCloudProvider(store, settings("pc-2"), ticker);
        var taken = taker.attachVolume(volume.volumeId());
        var mounted = devices.mount(devices.resolve(volume.volumeId(), taken.deviceName()).orElseThrow(), mountSpec(mountPoint));
        assertInstanceOf(FileSystemDriver.MountResult.Mounted.class, mounted, "the taker's mount is the only one");
    }

    @Test
    void cleanUpLeavesAMountAndAnEnvFileThatAreNoLongerThisSlotsAlone() throws Exception {
        var devices = new StaticBlockDevices();
        var mountPoint = dir.resolve("data");
        var other = Files.createDirectories(dir.resolve("volumes").resolve("vol-0123456789abcdef0"));
        Files.createSymbolicLink(mountPoint, other);
        var envFile = dir.resolve("berth.env");
        Files.writeString(envFile, "BERTH_CLUSTER=lab\nBERTH_SLOT=0\nBERTH_EPOCH=5\nBERTH_INSTANCE_ID=pc-2\n");
        var keeper = new LeaseKeeper(store, settings("pc-1"), ticker, "s1");
        var lease = new SlotLease("lab", 0, 4, "pc-1", "rack-a", "vol-00000000000000000",
                dir.resolve("volumes").resolve("vol-00000000000000000"), mountPoint,
                Optional.empty(), Optional.empty(), Optional.empty());
        new LostSlotCleanup(settings("pc-1"), devices, new StaticCloudProvider(store, settings("pc-1"), ticker), m -> { })
                .letGo(lease, envFile, () -> { }, keeper);
        assertTrue(Files.isSymbolicLink(mountPoint), "a taker's mount is not ours to remove");
        assertTrue(Files.exists(envFile), "a taker's env file is not ours to remove");
    }

    private static MountSpec mountSpec(Path mountPoint) {
        return new MountSpec(mountPoint, "dir", List.of());
    }
}
