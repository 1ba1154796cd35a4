package dev.berth.core.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.slot.HintsOnlyStore;
import dev.berth.core.slot.SlotCodec;
import dev.berth.core.slot.SlotKeys;
import dev.berth.core.slot.SlotRecord;
import dev.berth.core.slot.SlotRepository;
import dev.berth.core.store.FileClaimStore;
import dev.berth.spi.BlockDevices;
import dev.berth.spi.CloudProvider;
import dev.berth.spi.FileSystemDriver;
import dev.berth.spi.GroupMember;
import dev.berth.spi.GroupView;
import dev.berth.spi.InstanceIdentity;
import dev.berth.spi.LifecycleState;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A claim ranks on the hints a store lists, but never acts on one it has not checked: the record
 * read at the listed version decides. A hint that calls a live holder's slot free must not make
 * the claim take it.
 */
class CasSlotSelectionHintTest {
    private static final InstanceIdentity ME = new InstanceIdentity("i-me", "us-east-1a", "us-east-1", Optional.empty(),
            "m5.large", Optional.empty(), Optional.empty());

    /** A group of two, both in service; the describes the claim makes answer from it. */
    private static CloudProvider cloud() {
        var group = new GroupView("g", 2, List.of("us-east-1a"), List.of(
                new GroupMember("i-me", "us-east-1a", LifecycleState.IN_SERVICE, true),
                new GroupMember("i-other", "us-east-1a", LifecycleState.IN_SERVICE, true)));
        return (CloudProvider) Proxy.newProxyInstance(CloudProvider.class.getClassLoader(), new Class<?>[]{CloudProvider.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "group" -> group;
                    case "instanceStates" -> Map.of();
                    default -> throw new AssertionError("this test makes no " + method.getName() + " call");
                });
    }

    private static <T> T unused(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            throw new AssertionError("this test makes no " + type.getSimpleName() + " call, but " + method.getName() + " was called");
        }));
    }

    private record Setup(HintsOnlyStore store, SlotRepository slots, ClaimRun run, List<String> said) {
    }

    private static Setup setup(Path dir) {
        var store = new HintsOnlyStore(FileClaimStore.open(dir.resolve("store")));
        var ticker = new VirtualTicker();
        var settings = new ClaimSettings("c1", OptionalInt.of(2), new ClaimSettings.VolumeSettings(10, "gp3",
                OptionalInt.empty(), OptionalInt.empty(), true, Optional.empty(), Optional.empty(), "ext4", List.of(),
                Path.of("/data"), List.of()), new ClaimSettings.IdentitySettings(Optional.empty(), Path.of("identity"),
                IdentityPolicy.AUTO), FullPolicy.WAIT, CrossZonePolicy.NEVER, ClaimSettings.Waits.defaults(),
                dir.resolve("berth.env"), OptionalInt.empty());
        var calls = new Calls(ticker, settings.waits(), m -> { });
        var slots = new SlotRepository(store, new SlotKeys("c1"), new SlotCodec(), calls::run);
        var said = new ArrayList<String>();
        var context = new ClaimContext(cloud(), store, unused(BlockDevices.class), unused(FileSystemDriver.class),
                Optional.empty(), Optional.empty(), ticker, said::add, (file, values) -> { });
        return new Setup(store, slots, new ClaimRun(settings, context, calls, slots, ME), said);
    }

    @Test
    void aHintThatCallsALiveHoldersSlotFreeIsDistrustedAndTheSlotLeftAlone(@TempDir Path dir) {
        var setup = setup(dir);
        var slots = setup.slots();
        // slot 0: held by a live instance, its volume in my zone; slot 1: free, no volume yet
        var taken = slots.create(SlotRecord.fresh("c1", 0).withHolder(new SlotRecord.Holder("i-other", "us-east-1a", 0), 3)
                .withVolume(new SlotRecord.VolumeRef("vol-0", "us-east-1a"), List.of())).orElseThrow();
        slots.create(SlotRecord.fresh("c1", 1)).orElseThrow();
        // a hostile hint: slot 0 free, its volume in my zone (the best tier, so it is tried first)
        setup.store().lie("clusters/c1/slots/0@" + taken.version(), "1;3;;;;us-east-1a");

        var selection = new CasSlotSelection().select(setup.run(), slots.readIndex(Set.of()));

        var held = assertInstanceOf(SlotSelection.Selection.Held.class, selection);
        assertEquals(1, held.entry().slot(), "the claim takes the free slot, not the live holder's");
        assertEquals(taken, slots.read(0).orElseThrow(), "the live holder's slot is untouched");
        assertTrue(setup.said().stream().anyMatch(l -> l.contains("hint of slot 0") && l.contains("does not match")),
                setup.said().toString());
    }

    @Test
    void aHintThatCallsAnotherInstancesSlotMineIsDistrustedNotListedForever(@TempDir Path dir) {
        var setup = setup(dir);
        var slots = setup.slots();
        var taken = slots.create(SlotRecord.fresh("c1", 0).withHolder(new SlotRecord.Holder("i-other", "us-east-1a", 0), 3))
                .orElseThrow();
        slots.create(SlotRecord.fresh("c1", 1)).orElseThrow();
        // a hostile hint: slot 0 held by me (before the fix the round listed again and again, for ever)
        setup.store().lie("clusters/c1/slots/0@" + taken.version(), "1;3;i-me;us-east-1a;0;");

        var selection = assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),   // a guard against the loop, not a speed bound
                () -> new CasSlotSelection().select(setup.run(), slots.readIndex(Set.of())));

        var held = assertInstanceOf(SlotSelection.Selection.Held.class, selection);
        assertEquals(1, held.entry().slot());
        assertEquals(taken, slots.read(0).orElseThrow(), "the other instance's slot is untouched");
        assertTrue(setup.said().stream().anyMatch(l -> l.contains("hint of slot 0") && l.contains("does not match")),
                setup.said().toString());
    }
}
