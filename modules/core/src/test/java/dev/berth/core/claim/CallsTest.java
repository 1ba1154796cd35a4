package dev.berth.core.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.CloudException;
import dev.berth.spi.StoreException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallsTest {
    private final VirtualTicker ticker = new VirtualTicker();
    private final List<String> log = new ArrayList<>();
    private final ClaimSettings.Waits waits = ClaimSettings.Waits.defaults();
    private final Calls calls = new Calls(ticker, waits, log::add);

    @Test
    void aThrottledCloudCallIsTriedAtMostMaxCallAttemptsTimesAndTheErrorSaysWhichStepAndHowOften() {
        int[] tries = {0};
        var e = assertThrows(CloudException.class, () -> calls.run("attach volume vol-1", () -> {
            tries[0]++;
            throw new CloudException(CloudException.Reason.THROTTLED, "vol-1", "RequestLimitExceeded");
        }));
        assertEquals(waits.maxCallAttempts(), tries[0]);
        assertEquals(CloudException.Reason.THROTTLED, e.reason(), "the reason survives for the caller");
        assertTrue(e.getMessage().startsWith("attach volume vol-1: failed 8 times (bound waits.maxCallAttempts = 8)"),
                e.getMessage());
    }

    @Test
    void aPassingFailureIsRetriedAndTheAnswerReturned() {
        int[] tries = {0};
        var answer = calls.run("describe the group", () -> {
            if (++tries[0] < 3) {
                throw new CloudException(CloudException.Reason.UNAVAILABLE, "asg", "503");
            }
            return "group";
        });
        assertEquals("group", answer);
        assertEquals(3, tries[0]);
    }

    @Test
    void stateFailuresAreTheCallersToWaitOutAndAreNeverRetriedHere() {
        for (var reason : List.of(CloudException.Reason.NOT_FOUND, CloudException.Reason.CONFLICT,
                CloudException.Reason.ACCESS_DENIED, CloudException.Reason.INVALID)) {
            int[] tries = {0};
            assertThrows(CloudException.class, () -> calls.run("x", () -> {
                tries[0]++;
                throw new CloudException(reason, "r", "no");
            }));
            assertEquals(1, tries[0], reason.name());
            assertFalse(reason.retryable(), "Calls and Reason.retryable() agree: " + reason);
        }
        assertTrue(CloudException.Reason.THROTTLED.retryable() && CloudException.Reason.UNAVAILABLE.retryable());
    }

    @Test
    void aSlowStoreIsWaitedForUntilWaitsStoreSecondsThenNamedWithTheBound() {
        int[] tries = {0};
        var e = assertThrows(StoreException.class, () -> calls.run("read the store check verdict in etcd://127.0.0.1:2379/", () -> {
            tries[0]++;
            ticker.advance(5_000);   // each attempt waits for the store's own timeout
            throw new StoreException("etcd at 127.0.0.1:2379 did not answer get within 5000 ms", true);
        }));
        assertTrue(ticker.nowMillis() >= waits.storeMillis() && ticker.nowMillis() < waits.storeMillis() + 20_000,
                "waited " + ticker.nowMillis());
        assertTrue(tries[0] > 8, "a store is retried by time, not by the cloud's attempt count: " + tries[0]);
        assertFalse(e.retryable());
        var m = e.getMessage();
        assertTrue(m.contains("read the store check verdict in etcd://127.0.0.1:2379/") && m.contains("waits.storeSeconds = 120 s")
                && m.contains("did not answer get within 5000 ms") && m.contains(tries[0] + " attempts"), m);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("still waiting for an answer to 'read the store check verdict")),
                String.join("\n", log));
    }

    @Test
    void aStoreThatAnswersWithinTheBoundIsWaitedFor() {
        int[] tries = {0};
        var answer = calls.run("read slots", () -> {
            if (++tries[0] < 10) {
                ticker.advance(5_000);
                throw new StoreException("timeout", true);
            }
            return "slots";
        });
        assertEquals("slots", answer);
    }

    @Test
    void aStoreAnswerThatCannotBeTrustedIsNotRetried() {
        int[] tries = {0};
        assertThrows(StoreException.class, () -> calls.run("read", () -> {
            tries[0]++;
            throw new StoreException("hostile record", false);
        }));
        assertEquals(1, tries[0]);
    }
}
