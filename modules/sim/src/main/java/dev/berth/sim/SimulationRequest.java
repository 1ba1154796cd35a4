package dev.berth.sim;

import dev.berth.core.claim.CrossZonePolicy;
import dev.berth.core.claim.FullPolicy;
import dev.berth.spi.BerthException;
import java.util.List;

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
        boolean trace,
        List<PlanAction> plan) {

    public static final int MAX_NODES = 20_000;

    public SimulationRequest {
        plan = List.copyOf(plan);
        if (scenario != Scenario.PLAN && !plan.isEmpty()) {
            throw new BerthException("--plan goes with --scenario plan (or no --scenario): the named scenarios bring their own steps");
        }
        for (var step : plan) {
            if (step instanceof PlanAction.Outage o && o.zone() >= zones) {
                throw new BerthException("plan step '" + o.text() + "' names zone " + o.zone() + " but there are only "
                        + zones + " zones (numbered from 0)");
            }
            if (step instanceof PlanAction.Scale sc && (sc.to() < 0 || sc.to() > MAX_NODES)) {
                throw new BerthException("plan step '" + sc.text() + "' scales to " + sc.to() + ": give 0 to " + MAX_NODES);
            }
        }
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
        return new SimulationRequest(scenario, nodes, zones, seed, FullPolicy.WAIT, CrossZonePolicy.NEVER, true, List.of());
    }

    public static SimulationRequest plan(int nodes, int zones, long seed, List<PlanAction> plan) {
        return new SimulationRequest(Scenario.PLAN, nodes, zones, seed, FullPolicy.WAIT, CrossZonePolicy.NEVER, true, plan);
    }

    public SimulationRequest withPolicies(FullPolicy full, CrossZonePolicy cross) {
        return new SimulationRequest(scenario, nodes, zones, seed, full, cross, trace, plan);
    }

    public SimulationRequest withShape(int newNodes, int newZones, List<PlanAction> newPlan) {
        return new SimulationRequest(scenario, newNodes, newZones, seed, whenFull, crossZone, trace, newPlan);
    }

    /** The command line that replays this run. */
    public String commandLine() {
        var line = new StringBuilder("berth simulate --nodes " + nodes + " --zones " + zones + " --seed " + seed);
        if (scenario == Scenario.PLAN) {
            line.append(" --plan '").append(PlanText.format(plan)).append("'");
        } else {
            line.append(" --scenario ").append(scenario.cliName());
        }
        if (whenFull != FullPolicy.WAIT) {
            line.append(" --when-full ").append(whenFull.configName());
        }
        if (crossZone != CrossZonePolicy.NEVER) {
            line.append(" --cross-zone ").append(crossZone.configName());
        }
        return line.toString();
    }
}
