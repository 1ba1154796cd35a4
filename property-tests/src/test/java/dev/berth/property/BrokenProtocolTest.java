package dev.berth.property;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.sim.PlanGenerator;
import dev.berth.sim.Scenario;
import dev.berth.sim.Shrinker;
import dev.berth.sim.Simulation;
import dev.berth.sim.SimulationProgress;
import dev.berth.sim.SimulationReport;
import dev.berth.sim.SimulationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The harness can fail: without the compare-and-set, the simulator finds a violation and shrinks it. */
class BrokenProtocolTest {

    private static SimulationReport runBroken(SimulationRequest request) {
        return Simulation.run(request, DescribeTrustingSelection::new, SimulationProgress.none());
    }

    @Test
    void aProtocolThatTrustsDescribeIsCaughtOnSomeSeedOfMassBoot() {
        for (long seed = 1; seed <= 50; seed++) {
            var report = runBroken(SimulationRequest.of(Scenario.MASS_BOOT, 10, 3, seed));
            if (report.violations() > 0) {
                System.out.println("broken protocol caught on mass-boot seed " + seed + ":\n"
                        + String.join("\n", report.shortestTrace()));
                assertTrue(report.violationDetails().getFirst().invariant().contains("holder")
                        || report.violationDetails().getFirst().invariant().contains("workload"));
                return;
            }
        }
        throw new AssertionError("the describe-trusting protocol survived 50 seeds of mass-boot: the harness cannot fail");
    }

    /** The shrinker must reach the small case whatever seed base the property starts from. */
    @ParameterizedTest(name = "seed base {0}")
    @ValueSource(longs = {PropertySettings.DEFAULT_BASE_SEED, 770001L, 1L, 424242L, 99_000_017L})
    void theBrokenProtocolFailsAPropertyAndShrinksToAtMostThreeNodes(long seedBase) {
        for (int i = 0; i < PropertySettings.TRIES; i++) {
            var request = PlanGenerator.generate(seedBase + i, 8);
            var report = runBroken(request);
            if (report.violations() == 0) {
                continue;
            }
            var shrunk = new Shrinker(BrokenProtocolTest::runBroken, 300).shrink(request);
            System.out.println("broken protocol, seed base " + seedBase + ": try " + i + " failed ("
                    + report.violationDetails().getFirst().invariant() + "); shrunk in " + shrunk.runs()
                    + " runs to (replay with the test's broken protocol):\n  "
                    + shrunk.smallest().commandLine() + "\n" + String.join("\n", shrunk.report().shortestTrace()));
            assertTrue(shrunk.report().violations() > 0);
            assertTrue(shrunk.smallest().nodes() <= 3, "shrunk to " + shrunk.smallest().commandLine());
            assertTrue(shrunk.smallest().plan().isEmpty() || shrunk.smallest().plan().size() < request.plan().size(),
                    "shrunk to " + shrunk.smallest().commandLine());
            return;
        }
        throw new AssertionError("no generated scenario caught the broken protocol from seed base " + seedBase);
    }
}
