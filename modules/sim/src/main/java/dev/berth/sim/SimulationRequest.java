package dev.berth.sim;

import dev.berth.core.claim.CrossZonePolicy;
import dev.berth.core.claim.FullPolicy;
import dev.berth.spi.BerthException;

/**
 * What to simulate: a scenario, the fleet's size and zones, the seed, and the policies the
 * simulated berth runs with.
 */
public record SimulationRequest(
        Scenario scenario,
        int nodes,
        int zones,
        long seed,
        FullPolicy whenFull,
        CrossZonePolicy crossZone,
        boolean trace) {

    public static final int MAX_NODES = 20_000;

    public SimulationRequest {
        if (nodes < 1 || nodes > MAX_NODES) {
            throw new BerthException("--nodes " + nodes + " is out of range: give 1 to " + MAX_NODES);
        }
        if (zones < 1 || zones > 6) {
            throw new BerthException("--zones " + zones + " is out of range: give 1 to 6");
        }
        if (scenario == Scenario.SCALE_IN && nodes < 6) {
            throw new BerthException("--scenario scale-in scales in by 5: give --nodes 6 or more");
        }
    }

    public static SimulationRequest of(Scenario scenario, int nodes, int zones, long seed) {
        return new SimulationRequest(scenario, nodes, zones, seed, FullPolicy.WAIT, CrossZonePolicy.NEVER, true);
    }

    public SimulationRequest withPolicies(FullPolicy full, CrossZonePolicy cross) {
        return new SimulationRequest(scenario, nodes, zones, seed, full, cross, trace);
    }
}
