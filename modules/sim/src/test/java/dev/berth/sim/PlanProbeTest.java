package dev.berth.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.BerthException;
import org.junit.jupiter.api.Test;

/** What probing the simulator found: false alarms and plans it should have refused. */
class PlanProbeTest {

    @Test
    void aNodeStillInsideAPlannedStallIsNoLivenessViolation() {
        // the only node stalls for 4 h at its third call: longer than the liveness bound of 3 h
        var request = SimulationRequest.plan(1, 1, 1, PlanText.parse("pause:1:3+14400"));
        var report = Simulation.run(request);
        assertEquals(0, report.violations(), () -> String.join("\n", report.shortestTrace()));
        assertEquals(1, report.slotsHeld(), "once the stall is over the node claims its slot");
        assertTrue(report.simulatedMillis() > 14_400_000L, "the run waited for the stall to end");
    }
}
