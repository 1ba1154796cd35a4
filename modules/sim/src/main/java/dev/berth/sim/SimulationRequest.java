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
        List<PlanAction> plan,
        boolean elasticIp,
        boolean networkInterface,
        StoreModel storeModel) {

    /** A request on the abstract store (--store-model none). */
    public SimulationRequest(Scenario scenario, int nodes, int zones, long seed, FullPolicy whenFull, CrossZonePolicy crossZone,
                             boolean trace, List<PlanAction> plan, boolean elasticIp, boolean networkInterface) {
        this(scenario, nodes, zones, seed, whenFull, crossZone, trace, plan, elasticIp, networkInterface, StoreModel.NONE);
    }

    /** A request without addresses (network: none). */
    public SimulationRequest(Scenario scenario, int nodes, int zones, long seed, FullPolicy whenFull, CrossZonePolicy crossZone,
                             boolean trace, List<PlanAction> plan) {
        this(scenario, nodes, zones, seed, whenFull, crossZone, trace, plan, false, false);
    }

    /** The same run with each slot's Elastic IP and/or network interface turned on (--elastic-ip, --interface). */
    public SimulationRequest withNetwork(boolean withElasticIp, boolean withInterface) {
        return new SimulationRequest(scenario, nodes, zones, seed, whenFull, crossZone, trace, plan, withElasticIp, withInterface,
                storeModel);
    }

    /** The same run with each logical store call charged what the real store plugin does (--store-model). */
    public SimulationRequest withStoreModel(StoreModel model) {
        return new SimulationRequest(scenario, nodes, zones, seed, whenFull, crossZone, trace, plan, elasticIp, networkInterface,
                model);
    }

    public static final int MAX_NODES = 20_000;

    public SimulationRequest {
        plan = List.copyOf(plan);
        storeModel = storeModel == null ? StoreModel.NONE : storeModel;
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
        var last = lastInstance(nodes, whenFull, plan);
        for (var step : plan) {
            int named = namedInstance(step);
            if (named == 0 || (named > 0 && last.isPresent() && named > last.getAsInt())) {
                throw new BerthException("plan step '" + step.text() + "' names instance " + named + ", which this run"
                        + " never has: instances are numbered from 1 in launch order (the first " + nodes + " at the start,"
                        + " then one per replacement the plan's steps cause), so name one of 1 to " + last.orElse(nodes));
            }
        }
        if (zones < 1 || zones > 6) {
            throw new BerthException("--zones " + zones + " is out of range: give 1 to 6");
        }
        if (scenario == Scenario.SCALE_IN && nodes < 6) {
            throw new BerthException("--scenario scale-in scales in by 5: give --nodes 6 or more");
        }
    }

    /** The instance a step names (numbered from 1), or -1 when it names none. */
    static int namedInstance(PlanAction step) {
        return switch (step) {
            case PlanAction.Crash c -> c.instance();
            case PlanAction.Pause p -> p.instance();
            case PlanAction.Kill k -> k.instance();
            case PlanAction.Spot sp -> sp.instance();
            default -> -1;
        };
    }

    /**
     * The highest instance number a run can reach: the first {@code nodes}, then at most one
     * replacement per kill, a fleet per refresh, the target of a scale-out, and replacements plus
     * a rebalance per zone outage. Empty when no bound holds: with a full policy other than wait,
     * instances that find the cluster full are replaced without any plan step.
     */
    static java.util.OptionalInt lastInstance(int nodes, FullPolicy whenFull, List<PlanAction> plan) {
        if (whenFull != FullPolicy.WAIT) {
            return java.util.OptionalInt.empty();
        }
        int fleet = nodes;
        for (var step : plan) {
            if (step instanceof PlanAction.Scale sc) {
                fleet = Math.max(fleet, sc.to());
            }
        }
        long last = nodes;
        for (var step : plan) {
            last += switch (step) {
                case PlanAction.Kill k -> 1;
                case PlanAction.Spot sp -> 1;
                case PlanAction.Refresh r -> fleet;
                case PlanAction.Scale sc -> sc.to();
                case PlanAction.Outage o -> 2L * fleet;
                default -> 0;
            };
        }
        return java.util.OptionalInt.of((int) Math.min(Integer.MAX_VALUE, last));
    }

    public static SimulationRequest of(Scenario scenario, int nodes, int zones, long seed) {
        return new SimulationRequest(scenario, nodes, zones, seed, FullPolicy.WAIT, CrossZonePolicy.NEVER, true, List.of());
    }

    public static SimulationRequest plan(int nodes, int zones, long seed, List<PlanAction> plan) {
        return new SimulationRequest(Scenario.PLAN, nodes, zones, seed, FullPolicy.WAIT, CrossZonePolicy.NEVER, true, plan);
    }

    public SimulationRequest withPolicies(FullPolicy full, CrossZonePolicy cross) {
        return new SimulationRequest(scenario, nodes, zones, seed, full, cross, trace, plan, elasticIp, networkInterface, storeModel);
    }

    public SimulationRequest withShape(int newNodes, int newZones, List<PlanAction> newPlan) {
        return new SimulationRequest(scenario, newNodes, newZones, seed, whenFull, crossZone, trace, newPlan, elasticIp,
                networkInterface, storeModel);
    }

    public SimulationRequest withSeed(long newSeed) {
        return new SimulationRequest(scenario, nodes, zones, newSeed, whenFull, crossZone, trace, plan, elasticIp,
                networkInterface, storeModel);
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
        if (elasticIp) {
            line.append(" --elastic-ip");
        }
        if (networkInterface) {
            line.append(" --interface");
        }
        if (storeModel != StoreModel.NONE) {
            line.append(" --store-model ").append(storeModel.cliName());
        }
        return line.toString();
    }
}
