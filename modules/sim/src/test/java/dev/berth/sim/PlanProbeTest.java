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

    @Test
    void aPlanNamingAnInstanceTheRunNeverHasIsRefusedNamingIt() {
        var e = assertThrows(BerthException.class, () -> SimulationRequest.plan(3, 1, 1, PlanText.parse("kill:9@100")));
        assertTrue(e.getMessage().contains("'kill:9@100'") && e.getMessage().contains("instance 9")
                && e.getMessage().contains("1 to 4"), e.getMessage());
        var crash = assertThrows(BerthException.class, () -> SimulationRequest.plan(3, 1, 1, PlanText.parse("kill:1@60,crash:6:4")));
        assertTrue(crash.getMessage().contains("instance 6") && crash.getMessage().contains("1 to 4"), crash.getMessage());
        assertThrows(BerthException.class, () -> SimulationRequest.plan(3, 1, 1, PlanText.parse("pause:0:2+60")));
    }

    @Test
    void aPlanMayNameAReplacementThatItsStepsLaunch() {
        var request = SimulationRequest.plan(3, 1, 1, PlanText.parse("kill:1@60,crash:4:4"));
        var report = Simulation.run(request);
        assertEquals(0, report.violations(), () -> String.join("\n", report.shortestTrace()));
        assertEquals(1, report.crashes(), "instance 4, the replacement of instance 1, crashed as planned");
    }

    @Test
    void generatedPlansNameOnlyInstancesTheirRunsCanHave() {
        for (long seed = 1; seed <= 2_000; seed++) {
            PlanGenerator.generate(seed, 8);   // refused in the constructor otherwise
        }
    }
}
