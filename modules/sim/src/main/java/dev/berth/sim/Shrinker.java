package dev.berth.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Cuts a failing run down to the smallest one that still fails: fewer steps, fewer nodes,
 * fewer zones, shorter faults, earlier steps; the seed (and so the scheduler's choices for
 * what is left) stays. Greedy and bounded: at most {@code budget} runs.
 */
public final class Shrinker {

    /** The smallest failing run found, its report, and how many runs the search took. */
    public record Result(SimulationRequest smallest, SimulationReport report, int runs) {
    }

    private final Function<SimulationRequest, SimulationReport> runner;
    private final int budget;
    private int runs;

    public Shrinker(Function<SimulationRequest, SimulationReport> runner, int budget) {
        this.runner = runner;
        this.budget = budget;
    }

    /** {@code failing} must fail (have violations); named scenarios are first turned into their plan. */
    public Result shrink(SimulationRequest failing) {
        var current = asPlan(failing);
        var report = runner.apply(current);
        runs++;
        if (report.violations() == 0) {
            current = failing;
            report = runner.apply(failing);
            runs++;
            if (report.violations() == 0) {
                return new Result(failing, report, runs);
            }
        }
        boolean smaller = true;
        while (smaller && runs < budget) {
            smaller = false;
            for (var candidate : candidates(current)) {
                if (runs >= budget) {
                    break;
                }
                var r = runner.apply(candidate);
                runs++;
                if (r.violations() > 0) {
                    current = candidate;
                    report = r;
                    smaller = true;
                    break;
                }
            }
        }
        return new Result(current, report, runs);
    }

    /** A named scenario as the equivalent plan, so that its steps can be cut. */
    static SimulationRequest asPlan(SimulationRequest request) {
        int n = request.nodes();
        List<PlanAction> plan = switch (request.scenario()) {
            case PLAN -> request.plan();
            case MASS_BOOT -> List.of();
            case INSTANCE_REFRESH -> List.of(new PlanAction.Refresh(300));
            case ZONE_OUTAGE -> List.of(new PlanAction.Outage(0, 300, 1800));
            case SCALE_IN -> List.of(new PlanAction.Scale(n - 5, 300), new PlanAction.Scale(n, 1500));
            case CHAOS -> PlanGenerator.generate(request.seed(), n).plan();
        };
        return new SimulationRequest(Scenario.PLAN, n, request.zones(), request.seed(), request.whenFull(),
                request.crossZone(), request.trace(), plan);
    }

    private static List<SimulationRequest> candidates(SimulationRequest r) {
        var out = new ArrayList<SimulationRequest>();
        var plan = r.plan();
        for (int i = 0; i < plan.size(); i++) {
            var fewer = new ArrayList<>(plan);
            fewer.remove(i);
            out.add(r.withShape(r.nodes(), r.zones(), fewer));
        }
        if (r.nodes() > 1) {
            out.add(r.withShape(1, r.zones(), fit(plan, 1, r.zones())));
            if (r.nodes() > 2) {
                out.add(r.withShape(r.nodes() / 2, r.zones(), fit(plan, r.nodes() / 2, r.zones())));
            }
            out.add(r.withShape(r.nodes() - 1, r.zones(), fit(plan, r.nodes() - 1, r.zones())));
        }
        if (r.zones() > 1) {
            out.add(r.withShape(r.nodes(), r.zones() - 1, fit(plan, r.nodes(), r.zones() - 1)));
        }
        for (int i = 0; i < plan.size(); i++) {
            var simpler = simplify(plan.get(i));
            if (simpler != null) {
                var changed = new ArrayList<>(plan);
                changed.set(i, simpler);
                out.add(r.withShape(r.nodes(), r.zones(), changed));
            }
        }
        return out;
    }

    /** Drops steps that no longer fit the smaller fleet. */
    private static List<PlanAction> fit(List<PlanAction> plan, int nodes, int zones) {
        var out = new ArrayList<PlanAction>();
        for (var step : plan) {
            boolean fits = switch (step) {
                case PlanAction.Outage o -> o.zone() < zones;
                case PlanAction.Kill k -> k.instance() <= nodes + 2;
                case PlanAction.Pause p -> p.instance() <= nodes + 2;
                case PlanAction.Crash c -> c.instance() <= nodes + 2;
                default -> true;
            };
            if (fits) {
                out.add(step);
            }
        }
        return out;
    }

    /** A step with halved times and durations, or null when it cannot get simpler. */
    private static PlanAction simplify(PlanAction step) {
        return switch (step) {
            case PlanAction.Kill k when k.at() > 0 -> new PlanAction.Kill(k.instance(), k.at() / 2);
            case PlanAction.Refresh f when f.at() > 0 -> new PlanAction.Refresh(f.at() / 2);
            case PlanAction.Scale s when s.at() > 0 -> new PlanAction.Scale(s.to(), s.at() / 2);
            case PlanAction.Outage o when o.seconds() > 60 -> new PlanAction.Outage(o.zone(), o.at() / 2, o.seconds() / 2);
            case PlanAction.Window w when w.seconds() > 30 -> new PlanAction.Window(w.kind(), w.at() / 2, w.seconds() / 2);
            case PlanAction.Pause p when p.seconds() > 60 -> new PlanAction.Pause(p.instance(), p.call(), p.seconds() / 2);
            case PlanAction.Crash c when c.call() > 1 -> new PlanAction.Crash(c.instance(), c.call() - 1, c.afterEffect());
            default -> null;
        };
    }
}
