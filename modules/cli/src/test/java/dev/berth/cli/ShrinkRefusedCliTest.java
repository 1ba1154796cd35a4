package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.claim.ClaimContext;
import dev.berth.core.claim.ClaimOutcome;
import dev.berth.core.claim.ClaimProtocol;
import dev.berth.core.claim.ClaimSettings;
import dev.berth.core.claim.CrossZonePolicy;
import dev.berth.core.claim.EnvFileWriter;
import dev.berth.core.claim.FullPolicy;
import dev.berth.core.claim.IdentityPolicy;
import dev.berth.core.claim.Ticker;
import dev.berth.core.slot.SlotCodec;
import dev.berth.core.slot.SlotKeys;
import dev.berth.core.store.FileClaimStore;
import dev.berth.statics.LeaseKeeper;
import dev.berth.statics.StaticBlockDevices;
import dev.berth.statics.StaticCloudProvider;
import dev.berth.statics.StaticSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth claim} with a {@code volume.sizeGiB} below the slot's volume: exit 2 with what, which volume and slot,
 * both sizes and what to do; the slot it took is let go again, nothing attached or mounted, the metrics say refused.
 */
class ShrinkRefusedCliTest {
    private static final long TTL = 1_000;

    @TempDir
    Path dir;

    @Test
    void aSmallerSizeIsExit2AndTheSlotIsLetGoUntouched() throws Exception {
        var store = FileClaimStore.open(dir.resolve("store"));
        var old = new StaticSettings("lab", "pc-1", "rack-a", "local", List.of(), 1, TTL, dir.resolve("volumes"));
        new LeaseKeeper(store, old, Ticker.system()).acquire();   // pc-1 claims with 200 GiB, then dies
        var volume = new ClaimSettings.VolumeSettings(200, "gp3", OptionalInt.empty(), OptionalInt.empty(), false,
                Optional.empty(), Optional.empty(), "ext4", List.of(), dir.resolve("pc-1/data"), List.of());
        var waits = new ClaimSettings.Waits(200, 2_000, 2_000, 5_000, 5_000, 5_000, 5_000, 5_000, 8, 3);
        var settings = new ClaimSettings("lab", OptionalInt.of(1), volume,
                new ClaimSettings.IdentitySettings(Optional.empty(), Path.of("id"), IdentityPolicy.AUTO), FullPolicy.WAIT,
                CrossZonePolicy.NEVER, waits, dir.resolve("pc-1.env"), OptionalInt.empty());
        var devices = new StaticBlockDevices();
        var context = new ClaimContext(new StaticCloudProvider(store, old, Ticker.system()), store, devices, devices,
                Optional.empty(), Optional.empty(), Ticker.system(), m -> { }, EnvFileWriter.local());
        var lease = assertInstanceOf(ClaimOutcome.Claimed.class, new ClaimProtocol(settings, context).claim()).lease();
        Thread.sleep(TTL + 500);   // pc-1's lease runs out

        Files.writeString(dir.resolve("berth.yaml"), """
                cluster: lab
                provider: static
                store: file://%s
                capacity: 1
                envFile: %s
                volume:
                  sizeGiB: 100
                  mountPoint: %s
                metrics:
                  textfile: %s
                providerSettings:
                  instance-id: pc-2
                  zone: rack-a
                  lease-ttl-millis: %d
                  data-root: %s
                """.formatted(dir.resolve("store"), dir.resolve("pc-2.env"), dir.resolve("pc-2/data"),
                dir.resolve("berth.prom"), TTL, dir.resolve("volumes")));
        var r = MainTest.run("claim", "--config", dir.resolve("berth.yaml").toString());
        assertEquals(2, r.code(), r.out() + r.err());
        for (var part : List.of("volume.sizeGiB is 100 GiB", lease.volumeId(), "slot 0", "200 GiB", "cannot shrink",
                "at least 200", "let the slot go again")) {
            assertTrue(r.err().contains(part), () -> "'" + part + "' missing in: " + r.err());
        }
        var record = new SlotCodec().decode("k", 0, "lab", store.get(new SlotKeys("lab").slot(0)).orElseThrow().value());
        assertNull(record.holder(), "the slot is free again");
        assertEquals(lease.volumeId(), record.volume().volumeId());
        assertTrue(!Files.exists(dir.resolve("pc-2.env")), "no env file: the workload must not start");
        assertTrue(!Files.exists(dir.resolve("pc-2/data")), "nothing mounted");
        var metrics = Files.readString(dir.resolve("berth.prom"));
        assertEquals(Optional.of(1.0), MetricsTest.value(metrics, "berth_claim_outcome{cluster=\"lab\",outcome=\"refused\"}"),
                metrics);
        assertEquals(Optional.of(0.0), MetricsTest.value(metrics, "berth_slot_held{cluster=\"lab\"}"), metrics);
    }
}
