package dev.berth.core.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.slot.SlotCodec;
import dev.berth.core.slot.SlotKeys;
import dev.berth.core.slot.SlotRecord;
import dev.berth.core.slot.SlotRepository;
import dev.berth.core.store.FileClaimStore;
import dev.berth.spi.BlockDevices;
import dev.berth.spi.CloudProvider;
import dev.berth.spi.FileSystemDriver;
import dev.berth.spi.InstanceIdentity;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every step writes the slot it holds through {@link ClaimRun#updateHeld}: against the real file store. */
class ClaimRunFencedWriteTest {
    private static final InstanceIdentity ME = new InstanceIdentity("i-me", "us-east-1a", "us-east-1", Optional.empty(),
            "m5.large", Optional.empty(), Optional.empty());

    @TempDir
    Path dir;
    private SlotRepository slots;
    private ClaimRun run;

    @BeforeEach
    void open() {
        var store = FileClaimStore.open(dir.resolve("store"));
        var ticker = new VirtualTicker();
        var settings = new ClaimSettings("c1", OptionalInt.of(3), new ClaimSettings.VolumeSettings(10, "gp3",
                OptionalInt.empty(), OptionalInt.empty(), true, Optional.empty(), Optional.empty(), "ext4", List.of(),
                Path.of("/data"), List.of()), new ClaimSettings.IdentitySettings(Optional.empty(), Path.of("identity"),
                IdentityPolicy.AUTO), FullPolicy.WAIT, CrossZonePolicy.NEVER, ClaimSettings.Waits.defaults(),
                dir.resolve("berth.env"), OptionalInt.empty());
        var calls = new Calls(ticker, settings.waits(), m -> { });
        slots = new SlotRepository(store, new SlotKeys("c1"), new SlotCodec(), calls::run);
        // the steps under test make no cloud, device or filesystem call: any call fails the test
        var context = new ClaimContext(unused(CloudProvider.class), store, unused(BlockDevices.class),
                unused(FileSystemDriver.class), Optional.empty(), Optional.empty(), ticker, m -> { }, (file, values) -> { });
        run = new ClaimRun(settings, context, calls, slots, ME);
    }

    private static <T> T unused(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            throw new AssertionError("this test makes no " + type.getSimpleName() + " call, but " + method.getName() + " was called");
        }));
    }

    private dev.berth.core.slot.SlotEntry heldByMe(long epoch) {
        return slots.create(SlotRecord.fresh("c1", 0).withHolder(new SlotRecord.Holder(ME.instanceId(), ME.zone(), 0), epoch))
                .orElseThrow();
    }

    @Test
    void aWriteToTheHeldSlotLandsByCompareAndSet() {
        var held = heldByMe(1);
        var written = run.updateHeld(held, r -> r.withFormatted(true));
        assertTrue(written.record().formatted());
        assertEquals(written, slots.read(0).orElseThrow(), "the store holds what the step was given back");
    }

    @Test
    void aChangeUnderTheSameHolderAndEpochIsReadAgainAndTheWriteApplied() {
        var held = heldByMe(1);
        var other = slots.replace(held, held.record().withVolumeIntent(new SlotRecord.VolumeIntent("us-east-1a", "tok", null, null)))
                .orElseThrow();   // a second write of this same claim (the address step, say) moved the version on
        var written = run.updateHeld(held, r -> r.withFormatted(true));
        assertTrue(written.record().formatted());
        assertEquals(other.record().volumeIntent(), written.record().volumeIntent(), "the change applies to the record as it is now");
    }

    @Test
    void aHigherEpochOfAnotherHolderFencesThisInstanceOffAndNothingIsWritten() {
        var held = heldByMe(1);
        var taken = slots.replace(held, held.record().withHolder(new SlotRecord.Holder("i-other", "us-east-1b", 5), 2))
                .orElseThrow();   // an operator's --force
        var e = assertThrows(ClaimException.class, () -> run.updateHeld(held, r -> r.withFormatted(true)));
        assertEquals(ClaimException.Kind.FENCED, e.kind());
        assertTrue(e.getMessage().startsWith("slot 0 is now held by i-other at epoch 2, not by this instance at epoch 1"),
                e.getMessage());
        assertEquals(taken, slots.read(0).orElseThrow(), "the new holder's record is untouched");
    }

    @Test
    void aReleasedSlotFencesThisInstanceOff() {
        var held = heldByMe(3);
        slots.replace(held, held.record().withHolder(null, 3)).orElseThrow();
        var e = assertThrows(ClaimException.class, () -> run.updateHeld(held, r -> r.withFormatted(true)));
        assertEquals(ClaimException.Kind.FENCED, e.kind());
        assertTrue(e.getMessage().startsWith("slot 0 is now held by nobody (released)"), e.getMessage());
    }
}
