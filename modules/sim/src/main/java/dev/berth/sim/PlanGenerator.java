package dev.berth.sim;

import dev.berth.core.claim.CrossZonePolicy;
import dev.berth.core.claim.FullPolicy;
import java.util.ArrayList;
import java.util.SplittableRandom;

/**
 * Generates a random fleet and a random list of steps from one seed: boots, crashes of berth
 * at any SPI call (before or after the call took effect), stalls, terminations, instance
 * refreshes, scaling, zone outages, stale describe windows, throttling and a slow store.
 * The same seed gives the same plan.
 */
public final class PlanGenerator {
    private PlanGenerator() {
    }

    public static SimulationRequest generate(long seed, int maxNodes) {
        var r = new SplittableRandom(seed);
        int nodes = 1 + r.nextInt(maxNodes);
        int zones = 1 + r.nextInt(3);
        int steps = r.nextInt(8);
        var plan = new ArrayList<PlanAction>();
        for (int i = 0; i < steps; i++) {
            plan.add(switch (r.nextInt(10)) {
                case 0, 1 -> new PlanAction.Crash(1 + r.nextInt(nodes + 2), 1 + r.nextInt(30), r.nextBoolean());
                case 2 -> new PlanAction.Pause(1 + r.nextInt(nodes), 1 + r.nextInt(20), 60 + r.nextInt(1800));
                case 3 -> new PlanAction.Kill(1 + r.nextInt(nodes), r.nextInt(900));
                case 4 -> new PlanAction.Refresh(60 + r.nextInt(900));
                case 5 -> new PlanAction.Scale(1 + r.nextInt(nodes + 3), r.nextInt(900));
                case 6 -> new PlanAction.Outage(r.nextInt(zones), r.nextInt(900), 60 + r.nextInt(1800));
                case 7 -> new PlanAction.Spot(1 + r.nextInt(nodes), r.nextInt(900));
                default -> new PlanAction.Window(switch (r.nextInt(3)) {
                    case 0 -> "stale";
                    case 1 -> "throttle";
                    default -> "slowstore";
                }, r.nextInt(900), 30 + r.nextInt(900));
            });
        }
        var cross = r.nextInt(4) == 0 ? CrossZonePolicy.SNAPSHOT : CrossZonePolicy.NEVER;
        // Half the snapshot plans run latest-snapshot; a second stream decides, so that every other plan stays
        // what its seed always gave. Their outages come early (no periodic snapshot yet: the move waits) or late
        // (after one or two hourly snapshots: young enough, the move loses a bounded amount of writes).
        var extra = new SplittableRandom(seed ^ 0x5eed_0f_2a_5a_75L);
        if (cross == CrossZonePolicy.SNAPSHOT && extra.nextBoolean()) {
            cross = CrossZonePolicy.LATEST_SNAPSHOT;
            boolean late = extra.nextBoolean();
            plan.replaceAll(step -> step instanceof PlanAction.Outage o && late
                    ? new PlanAction.Outage(o.zone(), 3_600 + o.at() * 4, o.seconds()) : step);
            if (late && plan.stream().noneMatch(a -> a instanceof PlanAction.Outage)) {
                plan.add(new PlanAction.Outage(extra.nextInt(zones), 3_600 + extra.nextInt(5_400), 600 + extra.nextInt(3_000)));
            }
        }
        // With slots pinned to zones (cross-zone never) across several zones, terminating or replacing an
        // instance that finds no slot in its zone only churns: the group relaunches it in the same zone to
        // keep its balance. That combination is a configuration an operator should not choose; wait it is.
        var full = cross == CrossZonePolicy.NEVER && zones > 1
                ? FullPolicy.WAIT : FullPolicy.values()[r.nextInt(FullPolicy.values().length)];
        // a crash may name a replacement; never one that this plan cannot launch
        var last = SimulationRequest.lastInstance(nodes, full, plan);
        if (last.isPresent()) {
            plan.replaceAll(step -> step instanceof PlanAction.Crash c && c.instance() > last.getAsInt()
                    ? new PlanAction.Crash(last.getAsInt(), c.call(), c.afterEffect()) : step);
        }
        return new SimulationRequest(Scenario.PLAN, nodes, zones, r.nextLong(1, Long.MAX_VALUE), full, cross, true, plan);
    }
}
