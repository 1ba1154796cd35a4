package dev.berth.core.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.berth.spi.InstanceState;
import dev.berth.spi.LifecycleState;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A claim waiting for a full cluster polls the same table and group again and again, and keeps
 * what it concluded from them between polls. What it concluded must still change the moment
 * anything it rests on does: the cloud's answer for a holder outside the group, the group, or
 * the clock passing a holder's grace period.
 */
class CasSlotSelectionPollTest {
    private static final InstanceIdentity ME = new InstanceIdentity("i-me", "a", "r", Optional.empty(), "m5.large",
            Optional.empty(), Optional.empty());
    private static final GroupMember ME_IN_SERVICE = new GroupMember("i-me", "a", LifecycleState.IN_SERVICE, true);

    /** A cloud whose n-th group describe and n-th holder describe (from 1) answer as told; counts both. */
    private record Cloud(CloudProvider provider, AtomicInteger groups, AtomicInteger states) {
        static Cloud of(IntFunction<GroupView> group, IntFunction<Map<String, InstanceState>> states) {
            var groups = new AtomicInteger();
            var described = new AtomicInteger();
            var provider = (CloudProvider) Proxy.newProxyInstance(CloudProvider.class.getClassLoader(),
                    new Class<?>[]{CloudProvider.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "group" -> group.apply(groups.incrementAndGet());
                        case "instanceStates" -> states.apply(described.incrementAndGet());
                        default -> throw new AssertionError("this test makes no " + method.getName() + " call");
                    });
            return new Cloud(provider, groups, described);
        }
    }

    private static GroupView group(GroupMember... members) {
        return new GroupView("g", 1, List.of("a"), List.of(members));
    }

    private static <T> T unused(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            throw new AssertionError("this test makes no " + type.getSimpleName() + " call, but " + method.getName() + " was called");
        }));
    }

    /** Capacity 1, slot 0 held by {@code holder} since time 0; polls every 2 s, a grace of 60 s, an hour's wait when full. */
    private static SlotSelection.Selection select(Path dir, String holder, Cloud cloud, VirtualTicker ticker) {
        var store = FileClaimStore.open(dir.resolve("store"));
        var waits = new ClaimSettings.Waits(2_000, 3_600_000, 3_600_000, 300_000, 120_000, 3_600_000, 60_000, 120_000, 64, 8);
        var settings = new ClaimSettings("c1", OptionalInt.of(1), new ClaimSettings.VolumeSettings(10, "gp3",
                OptionalInt.empty(), OptionalInt.empty(), true, Optional.empty(), Optional.empty(), "ext4", List.of(),
                Path.of("/data"), List.of()), new ClaimSettings.IdentitySettings(Optional.empty(), Path.of("identity"),
                IdentityPolicy.AUTO), FullPolicy.WAIT, CrossZonePolicy.NEVER, waits, dir.resolve("berth.env"), OptionalInt.empty());
        var calls = new Calls(ticker, waits, m -> { });
        var slots = new SlotRepository(store, new SlotKeys("c1"), new SlotCodec(), calls::run);
        slots.create(SlotRecord.fresh("c1", 0).withHolder(new SlotRecord.Holder(holder, "a", 0), 1)).orElseThrow();
        var context = new ClaimContext(cloud.provider(), store, unused(BlockDevices.class), unused(FileSystemDriver.class),
                Optional.empty(), Optional.empty(), ticker, m -> { }, (file, values) -> { });
        var run = new ClaimRun(settings, context, calls, slots, ME);
        return new CasSlotSelection().select(run, slots.readIndex(Set.of()));
    }

    private static int claimedSlot(SlotSelection.Selection selection) {
        return assertInstanceOf(SlotSelection.Selection.Held.class, selection).entry().slot();
    }

    @Test
    void aHolderTheCloudDoesNotKnowIsAliveUntilItsGracePeriodEndsAndNotAPollLonger(@TempDir Path dir) {
        var cloud = Cloud.of(n -> group(ME_IN_SERVICE), n -> Map.of());
        var ticker = new VirtualTicker();

        assertEquals(0, claimedSlot(select(dir, "i-ghost", cloud, ticker)));
        assertTrue(ticker.nowMillis() > 60_000 && ticker.nowMillis() <= 62_000,
                "taken at the first poll after the 60 s grace period, at " + ticker.nowMillis() + " ms");
        assertEquals(cloud.groups().get(), cloud.states().get(), "every poll describes the group and the holder");
    }

    @Test
    void aHolderOutsideTheGroupThatTheCloudNowCallsTerminatedIsTakenOverAtThatPoll(@TempDir Path dir) {
        var cloud = Cloud.of(n -> group(ME_IN_SERVICE),
                n -> Map.of("i-old", n < 5 ? InstanceState.RUNNING : InstanceState.TERMINATED));
        var ticker = new VirtualTicker();

        assertEquals(0, claimedSlot(select(dir, "i-old", cloud, ticker)));
        assertEquals(5, cloud.states().get(), "four polls wait for the running holder, the fifth takes its slot");
    }

    @Test
    void aHolderInTheGroupThatLeavesItIsTakenOverAtThatPoll(@TempDir Path dir) {
        var holder = new GroupMember("i-old", "a", LifecycleState.IN_SERVICE, true);
        var gone = new GroupMember("i-old", "a", LifecycleState.TERMINATED, true);
        var cloud = Cloud.of(n -> n < 4 ? group(ME_IN_SERVICE, holder) : group(ME_IN_SERVICE, gone), n -> Map.of());
        var ticker = new VirtualTicker();

        assertEquals(0, claimedSlot(select(dir, "i-old", cloud, ticker)));
        assertEquals(4, cloud.groups().get(), "three polls wait for the live holder, the fourth takes its slot");
        assertEquals(0, cloud.states().get(), "a holder in the group needs no other describe");
    }
}
