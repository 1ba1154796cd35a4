package dev.berth.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Cuts a failing run down to the smallest one that still fails. Greedy, to a fixpoint: one node
 * fewer (or straight to one, or half), one zone fewer, one plan step fewer, then shorter and
 * earlier steps; the first smaller run that still fails is kept and the search starts over.
 * A smaller fleet makes other scheduling choices from the same seed, so a failure that needs a
 * lucky interleaving may not show again on it: each smaller shape is also tried on a few seeds
 * derived from the run's. Bounded: at most {@code budget} runs.
 */
public final class Shrinker {
    /** Seeds tried per smaller shape besides the run's own. */
    private static final int SEED_VARIANTS = 7;

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
            search:
            for (var candidate : candidates(current)) {
                boolean sameShape = candidate.plan().size() == current.plan().size()
                        && candidate.nodes() == current.nodes() && candidate.zones() == current.zones();
                int variants = sameShape ? 0 : SEED_VARIANTS;
                for (int v = 0; v <= variants; v++) {
                    if (runs >= budget) {
                        break search;
                    }
                    var tried = v == 0 ? candidate : candidate.withSeed(variantSeed(current.seed(), v));
                    var r = runner.apply(tried);
                    runs++;
                    if (r.violations() > 0) {
                        current = tried;
                        report = r;
                        smaller = true;
                        break search;
                    }
                }
            }
        }
        return new Result(current, report, runs);
    }

    private static long variantSeed(long seed, int variant) {
        long s = seed + variant * 0x9E3779B97F4A7C15L;
        return s == 0 ? 1 : s;
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

    /** Smaller runs, the biggest cuts first: fewer nodes, fewer zones, fewer steps, then simpler steps. */
    private static List<SimulationRequest> candidates(SimulationRequest r) {
        var out = new ArrayList<SimulationRequest>();
        var plan = r.plan();
        int n = r.nodes();
        if (n > 1) {
            for (int fewer : new java.util.TreeSet<>(List.of(1, Math.max(1, n / 2), n - 1))) {
                out.add(fitted(r, fewer, r.zones(), plan));
            }
        }
        if (r.zones() > 1) {
            out.add(fitted(r, n, r.zones() - 1, plan));
        }
        for (int i = 0; i < plan.size(); i++) {
            var fewer = new ArrayList<>(plan);
            fewer.remove(i);
            out.add(fitted(r, n, r.zones(), fewer));
        }
        for (int i = 0; i < plan.size(); i++) {
            var simpler = simplify(plan.get(i));
            if (simpler != null) {
                var changed = new ArrayList<>(plan);
                changed.set(i, simpler);
                out.add(fitted(r, n, r.zones(), changed));
            }
        }
        return out;
    }

    /** The run with this shape, without the steps that no longer fit it (a zone or an instance it does not have). */
    private static SimulationRequest fitted(SimulationRequest r, int nodes, int zones, List<PlanAction> plan) {
        var kept = new ArrayList<>(plan);
        while (true) {
            var last = SimulationRequest.lastInstance(nodes, r.whenFull(), kept);
            boolean dropped = kept.removeIf(step -> step instanceof PlanAction.Outage o && o.zone() >= zones
                    || step instanceof PlanAction.Scale sc && sc.to() > SimulationRequest.MAX_NODES
                    || last.isPresent() && SimulationRequest.namedInstance(step) > last.getAsInt());
            if (!dropped) {
                return r.withShape(nodes, zones, kept);
            }
        }
    }

    /** A step with halved times and durations, or null when it cannot get simpler. */
    private static PlanAction simplify(PlanAction step) {
        return switch (step) {
            case PlanAction.Kill k when k.at() > 0 -> new PlanAction.Kill(k.instance(), k.at() / 2);
            case PlanAction.Spot sp when sp.at() > 0 -> new PlanAction.Spot(sp.instance(), sp.at() / 2);
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
