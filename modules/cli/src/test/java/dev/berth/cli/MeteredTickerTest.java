package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.claim.BoundedWait;
import dev.berth.core.claim.ClaimLog;
import dev.berth.core.claim.Ticker;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The claim's wait metric says what it waited for: each bounded wait's pauses count under its kind. */
class MeteredTickerTest {

    /** A virtual clock: a sleep moves time on at once. */
    private static final class VirtualTicker implements Ticker {
        long now;

        @Override
        public long nowMillis() {
            return now;
        }

        @Override
        public void sleep(long millis) {
            now += millis;
        }

        @Override
        public long jitter(long boundMillis) {
            return 0;
        }
    }

    private static void waitLooks(Ticker ticker, String boundKey, int looks) {
        var left = new AtomicInteger(looks);
        BoundedWait.forThe("a test", ticker, ClaimLog.silent())
                .bound(BoundedWait.Bound.of(boundKey, 600_000))
                .until(() -> left.decrementAndGet() <= 0 ? BoundedWait.Poll.done(true) : BoundedWait.Poll.pending("not yet"));
    }

    @Test
    void eachBoundedWaitsPausesCountUnderItsKind() {
        var virtual = new VirtualTicker();
        var metered = new MeteredTicker(virtual, () -> { });
        waitLooks(metered, "waits.attachSeconds", 4);
        long afterAttach = virtual.now;
        waitLooks(metered, "waits.storeSeconds", 2);
        var byKind = metered.sleptMillisByKind();
        assertEquals(afterAttach, byKind.get("attach"), byKind.toString());
        assertEquals(virtual.now - afterAttach, byKind.get("retry"), byKind.toString());
        assertTrue(byKind.get("attach") > 0 && byKind.get("retry") > 0, byKind.toString());
        assertEquals(2, byKind.size(), byKind.toString());
    }

    @Test
    void kindsAreNamedForTheirBound() {
        assertEquals("holder", MeteredTicker.kindOf("waits.holderSeconds"));
        assertEquals("full", MeteredTicker.kindOf("waits.fullSeconds"));
        assertEquals("retry", MeteredTicker.kindOf("waits.storeSeconds"));
        assertEquals("address", MeteredTicker.kindOf("the describe lag bound (60 s)"));
        assertEquals("other", MeteredTicker.kindOf("--max-wait"));
    }

    @Test
    void theClaimsTextfileHasEveryKindOfWaitZerosIncluded(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        var file = dir.resolve("berth.prom");
        var store = dev.berth.core.store.FileClaimStore.open(dir.resolve("store"));
        var textfile = new MetricsTextfile(file, new Console().log("test"));
        ClaimMetrics.publish(textfile, "demo", "failed", java.util.Optional.empty(), store, new CountingStore(store), 1500,
                java.util.Optional.of(java.util.Map.of("attach", 2500L)));
        var text = java.nio.file.Files.readString(file);
        assertTrue(text.contains("berth_claim_wait_seconds{cluster=\"demo\",kind=\"attach\"} 2.5"), text);
        for (var kind : ClaimMetrics.WAIT_KINDS) {
            assertTrue(text.contains("kind=\"" + kind + "\""), kind + " missing in\n" + text);
        }
    }
}
