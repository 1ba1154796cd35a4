package dev.berth.storecheck.history;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.store.tck.FaultyClaimStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recorded histories of 16 clients on the tck's in-memory stores: correct passes, each wrong one is caught. */
class RecordedHistoryTest {
    private static final List<String> KEYS = List.of("t/a", "t/b", "t/c", "t/d");

    private static Verdict record(FaultyClaimStore.Mode mode, int operations) {
        var history = HistoryRecorder.run(new FaultyClaimStore(mode), KEYS, 16, operations, Duration.ofMinutes(2));
        var verdict = LinearizabilityChecker.check(history);
        System.out.println("[RecordedHistoryTest " + mode + "] " + verdict.summary());
        return verdict;
    }

    @Test
    void anAtomicStoreIsLinearizableOverTwentyThousandOperations() {
        var verdict = record(FaultyClaimStore.Mode.ATOMIC, 20_000);
        assertTrue(verdict.linearizable(), verdict.summary());
        assertTrue(verdict.operations() == 20_000, verdict.summary());
    }

    /** Only reads misbehave, so a window that is a real witness holds a read (issue 17: it once held two writes). */
    @Test
    void aStoreThatServesAStaleReadOnceInAWhileIsCaught() {
        var verdict = record(FaultyClaimStore.Mode.STALE_READS, 5_000);
        assertFalse(verdict.linearizable(), verdict.summary());
        assertTrue(verdict.anomaly().orElseThrow().window().stream().anyMatch(op -> op.kind() == Operation.Kind.GET),
                verdict.summary());
    }

    @Test
    void aStoreThatChecksThenWritesIsCaught() {
        var verdict = record(FaultyClaimStore.Mode.CHECK_THEN_WRITE, 3_000);
        assertFalse(verdict.linearizable(), verdict.summary());
    }

    @Test
    void aStoreThatIgnoresConditionsIsCaught() {
        assertFalse(record(FaultyClaimStore.Mode.IGNORES_CONDITIONS, 2_000).linearizable());
    }
}
