package dev.berth.store.tck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LinearizabilityRaceTest {

    @Test
    void nonAtomicCompareAndSetIsCaught() {
        var result = LinearizabilityRace.on(new FaultyClaimStore(FaultyClaimStore.Mode.CHECK_THEN_WRITE), "slot").threads(16).rounds(20).run();
        assertFalse(result.passed(), "a store that checks and writes in two steps must fail the race");
        assertTrue(result.violations().stream().anyMatch(v -> v.contains("claimers won")), result.summary());
    }

    @Test
    void atomicStorePasses() {
        var result = LinearizabilityRace.on(new FaultyClaimStore(FaultyClaimStore.Mode.ATOMIC), "slot").threads(16).rounds(50).run();
        assertTrue(result.passed(), result.summary());
    }
}
