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
import dev.berth.statics.LeaseKeeper;
import dev.berth.statics.StaticBlockDevices;
import dev.berth.statics.StaticCloudProvider;
import dev.berth.statics.StaticSettings;
import dev.berth.core.store.FileClaimStore;
import io.avaje.jsonb.Jsonb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, first "must show": two bare-metal holders on a file store, then berth status --json (exit 0, both
 * slots held), one holder killed and its lease waited out, berth status (exit 1, "holder gone"), berth release
 * --slot N (status exit 0 again), berth gc (nothing to delete).
 */
class DayTwoStaticTest {
    private static final long TTL = 1_500;

    @TempDir
    Path dir;

    private StaticSettings settings(String instance, String zone) {
        return new StaticSettings("lab", instance, zone, "local", List.of(), 2, TTL, dir.resolve("volumes"));
    }

    private ClaimOutcome claim(FileClaimStore store, StaticSettings s) {
        var volume = new ClaimSettings.VolumeSettings(1, "gp3", OptionalInt.empty(), OptionalInt.empty(), false,
                Optional.empty(), Optional.empty(), "ext4", List.of(), dir.resolve(s.instanceId()).resolve("data"), List.of());
        var waits = new ClaimSettings.Waits(200, 2_000, 2_000, 5_000, 5_000, 5_000, 5_000, 5_000, 8, 3);
        var settings = new ClaimSettings("lab", OptionalInt.of(2), volume,
                new ClaimSettings.IdentitySettings(Optional.empty(), Path.of("id"), IdentityPolicy.AUTO), FullPolicy.WAIT,
                CrossZonePolicy.NEVER, waits, dir.resolve(s.instanceId()).resolve("berth.env"), OptionalInt.empty());
        var devices = new StaticBlockDevices();
        var context = new ClaimContext(new StaticCloudProvider(store, s, Ticker.system()), store, devices, devices,
                Optional.empty(), Optional.empty(), Ticker.system(), m -> { }, EnvFileWriter.local());
        return new ClaimProtocol(settings, context).claim();
    }

    private String[] day2(String command, String... more) {
        var args = new java.util.ArrayList<>(List.of(command, "--config", dir.resolve("berth.yaml").toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void statusFindsTheGoneHolderReleaseFreesItAndGcHasNothingToDelete() throws Exception {
        Files.writeString(dir.resolve("berth.yaml"), """
                cluster: lab
                provider: static
                store: file://%s
                capacity: 2
                providerSettings:
                  instance-id: ops
                  zone: rack-a
                  lease-ttl-millis: %d
                  data-root: %s
                """.formatted(dir.resolve("store"), TTL, dir.resolve("volumes")));
        var store = FileClaimStore.open(dir.resolve("store"));
        var a = settings("pc-1", "rack-a");
        var b = settings("pc-2", "rack-b");
        var keeperA = new LeaseKeeper(store, a, Ticker.system());
        keeperA.acquire();
        var stop = new AtomicBoolean();
        var renewer = Thread.ofPlatform().daemon().start(() -> keeperA.runUntilStopped(stop::get));
        try {
            new LeaseKeeper(store, b, Ticker.system()).acquire();   // pc-2 never renews: killed after its claim
            int slotA = assertInstanceOf(ClaimOutcome.Claimed.class, claim(store, a)).lease().slot();
            int slotB = assertInstanceOf(ClaimOutcome.Claimed.class, claim(store, b)).lease().slot();

            var held = MainTest.run(day2("status", "--json"));
            // pc-2's lease may already be past; status is exit 0 only while both live
            var json = Jsonb.builder().build().type(Object.class).fromJson(held.out());
            @SuppressWarnings("unchecked") var top = (Map<String, Object>) json;
            @SuppressWarnings("unchecked") var slots = (List<Map<String, Object>>) top.get("slots");
            assertEquals(2, slots.size(), held.out());
            assertTrue(top.get("findings") instanceof List<?>, held.out());
            for (var s : slots) {
                assertTrue(s.containsKey("slot") && s.containsKey("epoch") && s.containsKey("volumeId") && s.containsKey("zone"),
                        held.out());
            }
            assertEquals(Map.of(((Number) slots.get(0).get("slot")).intValue(), slots.get(0).get("holder"),
                    ((Number) slots.get(1).get("slot")).intValue(), slots.get(1).get("holder")),
                    Map.of(slotA, "pc-1", slotB, "pc-2"), held.out());

            Thread.sleep(TTL + 500);   // pc-2's lease runs out
            var gone = MainTest.run(day2("status"));
            assertEquals(1, gone.code(), gone.out() + gone.err());
            assertTrue(gone.out().contains("holder gone: slot " + slotB + " is held by pc-2"), gone.out());

            var released = MainTest.run(day2("release", "--slot", Integer.toString(slotB)));
            assertEquals(0, released.code(), released.out() + released.err());
            assertTrue(released.out().contains("released slot " + slotB), released.out());
            var record = new SlotCodec().decode("k", slotB, "lab", store.get(new SlotKeys("lab").slot(slotB)).orElseThrow().value());
            assertNull(record.holder());
            assertEquals(2, record.epoch(), "the epoch rose: a late pc-2 is fenced off");

            var clean = MainTest.run(day2("status"));
            assertEquals(0, clean.code(), clean.out() + clean.err());
            assertTrue(clean.out().contains("no findings"), clean.out());

            var gc = MainTest.run(day2("gc"));
            assertEquals(0, gc.code(), gc.out() + gc.err());
            assertTrue(gc.out().contains("nothing to delete"), gc.out());

            var refused = MainTest.run(day2("release", "--slot", Integer.toString(slotA)));
            assertEquals(1, refused.code(), refused.out() + refused.err());
            assertTrue(refused.err().contains("held by pc-1, which is alive"), refused.err());
            assertEquals(2, MainTest.run(day2("release", "--slot", Integer.toString(slotA), "--force")).code(),
                    "--force without --yes is bad input");
        } finally {
            stop.set(true);
            renewer.interrupt();
        }
    }
}
