package dev.berth.core.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedWaitTest {
    private final VirtualTicker ticker = new VirtualTicker();
    private final List<String> log = new ArrayList<>();

    @Test
    void aProbeThatIsDoneAtOnceNeverSleeps() {
        var value = BoundedWait.forThe("a thing", ticker, log::add).bound(BoundedWait.Bound.of("waits.x", 1_000))
                .until(() -> BoundedWait.Poll.done("ready"));
        assertEquals("ready", value);
        assertTrue(ticker.sleeps.isEmpty(), "no settle time: the first look is immediate");
    }

    @Test
    void expiryNamesWhatTheBoundItsKeyTheLastThingSeenAndWhatToCheck() {
        int[] looks = {0};
        var e = assertThrows(ClaimException.class, () -> BoundedWait.forThe("volume vol-1 to attach", ticker, log::add)
                .bound(BoundedWait.Bound.of("waits.attachSeconds", 300_000))
                .hint("check the volume in the console")
                .until(() -> BoundedWait.Poll.pending("attaching, look " + ++looks[0])));
        assertEquals(ClaimException.Kind.TIMEOUT, e.kind());
        var m = e.getMessage();
        assertTrue(m.contains("volume vol-1 to attach") && m.contains("after 300 s") && m.contains("waits.attachSeconds = 300 s")
                && m.contains("last seen: attaching, look " + looks[0]) && m.contains("check the volume in the console"), m);
        assertEquals(300_000, ticker.nowMillis(), "the last look is taken at the bound, not past it");
    }

    @Test
    void theBackoffDoublesUpToItsCeiling() {
        assertThrows(ClaimException.class, () -> BoundedWait.forThe("x", ticker, log::add)
                .bound(BoundedWait.Bound.of("k", 60_000)).backoff(1_000, 8_000)
                .until(() -> BoundedWait.Poll.pending("no")));
        assertEquals(List.of(1_000L, 2_000L, 4_000L, 8_000L, 8_000L), ticker.sleeps.subList(0, 5));
    }

    @Test
    void aLongWaitSaysSoEveryThirtySeconds() {
        assertThrows(ClaimException.class, () -> BoundedWait.forThe("the old holder to let go", ticker, log::add)
                .bound(BoundedWait.Bound.of("waits.holderSeconds", 120_000)).backoff(5_000, 5_000)
                .until(() -> BoundedWait.Poll.pending("VolumeInUse")));
        assertEquals(3, log.size(), String.join("\n", log));
        assertTrue(log.getFirst().startsWith("still waiting for the old holder to let go: 30 s so far (bound"
                + " waits.holderSeconds = 120 s); last seen: VolumeInUse"), log.getFirst());
    }

    @Test
    void aQuietWaitLogsNothingAndAnAttemptBoundCountsLooks() {
        int[] looks = {0};
        assertThrows(ClaimException.class, () -> BoundedWait.forThe("x", ticker, log::add)
                .bound(BoundedWait.Bound.attempts("waits.maxCallAttempts", 4)).backoff(60_000, 60_000).quiet()
                .until(() -> BoundedWait.Poll.pending("look " + ++looks[0])));
        assertEquals(4, looks[0]);
        assertTrue(log.isEmpty());
    }

    @Test
    void aProbeMayStopTheWaitWithItsOwnError() {
        var stop = new IllegalStateException("snapshot failed");
        var thrown = assertThrows(IllegalStateException.class, () -> BoundedWait.forThe("x", ticker, log::add)
                .bound(BoundedWait.Bound.of("k", 10_000)).until(() -> {
                    throw stop;
                }));
        assertSame(stop, thrown);
    }
}
