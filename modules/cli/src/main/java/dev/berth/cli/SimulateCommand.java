package dev.berth.cli;

import dev.berth.core.claim.CrossZonePolicy;
import dev.berth.core.claim.FullPolicy;
import dev.berth.sim.Scenario;
import dev.berth.sim.Simulation;
import dev.berth.sim.SimulationReport;
import dev.berth.sim.SimulationRequest;
import io.avaje.jsonb.Jsonb;
import jakarta.inject.Singleton;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth simulate}: replays a fleet on the simulated cloud and checks the invariants at every step. */
@Singleton
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Run a fleet of simulated nodes through a scenario on a simulated cloud, with the real claim",
                "protocol, checking the invariants after every step. Exit 0: no violation; 1: a violation",
                "(the shortest trace that shows it is printed)."})
final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--nodes", defaultValue = "200", description = "Nodes in the group (desired capacity). Default: ${DEFAULT-VALUE}.")
    int nodes;

    @Option(names = "--zones", defaultValue = "3", description = "Availability zones. Default: ${DEFAULT-VALUE}.")
    int zones;

    @Option(names = "--seed", defaultValue = "1", description = "The seed: the same seed gives the same run. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--scenario", defaultValue = "mass-boot",
            description = "mass-boot, instance-refresh, zone-outage, scale-in or chaos. Default: ${DEFAULT-VALUE}.")
    String scenario;

    @Option(names = "--when-full", defaultValue = "wait",
            description = "What a node does when every slot is held: wait, mark-unhealthy, terminate-self. Default: ${DEFAULT-VALUE}.")
    String whenFull;

    @Option(names = "--cross-zone", defaultValue = "never",
            description = "Whether a slot's volume may move to another zone: never or snapshot. Default: ${DEFAULT-VALUE}.")
    String crossZone;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    private final Console console;

    SimulateCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        SimulationRequest request;
        try {
            request = new SimulationRequest(Scenario.parse(scenario), nodes, zones, seed, FullPolicy.parse(whenFull),
                    CrossZonePolicy.parse(crossZone), true);
        } catch (dev.berth.spi.BerthException e) {
            throw new UsageException(e.getMessage());
        }
        var progress = new ProgressLine(console, request.nodes());
        var report = Simulation.run(request, progress);
        progress.done();
        if (json) {
            console.out().println(Jsonb.builder().build().toJson(report));
        } else {
            printTable(report);
        }
        if (report.violations() > 0) {
            console.err().println();
            report.shortestTrace().forEach(console.err()::println);
            console.err().println();
            console.err().println("berth simulate: " + report.violations() + " violation(s); replay with: berth simulate --nodes "
                    + nodes + " --zones " + zones + " --seed " + seed + " --scenario " + request.scenario().cliName()
                    + " --when-full " + whenFull + " --cross-zone " + crossZone);
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    private void printTable(SimulationReport r) {
        var out = console.out();
        out.printf("berth simulate: scenario %s, seed %d%n", r.scenario(), r.seed());
        row(out, "nodes", r.nodes());
        row(out, "zones", r.zones());
        row(out, "slots (held)", r.slots() + " (" + r.slotsHeld() + ")");
        row(out, "volumes created", r.volumesCreated() + (r.idempotentCreates() > 0 ? " (+" + r.idempotentCreates()
                + " repeated creates answered idempotently)" : ""));
        row(out, "snapshots", r.snapshots());
        row(out, "CAS attempts per node", String.format("%.3f (%d in all)", r.casAttemptsPerNode(), r.casAttempts()));
        row(out, "happy-path calls", r.happyPathCalls() + " sequential cloud/store calls (max " + r.happyPathCallsMax() + ")");
        row(out, "time to converge", seconds(r.convergeMillis()) + " simulated (last phase)");
        row(out, "slowest claim", seconds(r.slowestClaimMillis()) + String.format(" (%.2fx a lone node's %s)",
                r.claimTimeRatio(), seconds(r.singleClaimMillis())));
        row(out, "crashes / errors / full", r.crashes() + " / " + r.claimErrors() + " / " + r.fullOutcomes());
        row(out, "SPI calls", r.spiCalls() + " (cloud " + r.cloudCalls() + ", store " + r.storeCalls() + ", throttled "
                + r.throttled() + ")");
        row(out, "simulated time", seconds(r.simulatedMillis()) + " in " + r.steps() + " steps");
        row(out, "violations", r.violations());
    }

    private static void row(java.io.PrintStream out, String name, Object value) {
        out.printf("  %-24s %s%n", name, value);
    }

    private static String seconds(long millis) {
        if (millis < 0) {
            return "never";
        }
        return String.format("%.1f s", millis / 1000.0);
    }
}
