package dev.berth.cli;

import dev.berth.core.claim.CrossZonePolicy;
import dev.berth.core.claim.FullPolicy;
import dev.berth.sim.PlanText;
import dev.berth.sim.Scenario;
import dev.berth.sim.Shrinker;
import dev.berth.sim.Simulation;
import dev.berth.sim.StoreModel;
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
        description = {"Run a simulated fleet through a scenario; check the invariants.",
                "A fleet of simulated nodes on a simulated cloud, with the real claim protocol, checking the invariants"
                        + " after every step. Exit 0: no violation; 1: a violation (the shortest trace that shows it"
                        + " is printed)."})
final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--nodes", defaultValue = "200", description = "Nodes in the group (desired capacity). Default: ${DEFAULT-VALUE}.")
    int nodes;

    @Option(names = "--zones", defaultValue = "3", description = "Availability zones. Default: ${DEFAULT-VALUE}.")
    int zones;

    @Option(names = "--seed", defaultValue = "1", description = "The seed: the same seed gives the same run. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--scenario", defaultValue = "mass-boot",
            description = "mass-boot, instance-refresh, zone-outage, scale-in, chaos or plan (with --plan). Default: ${DEFAULT-VALUE}.")
    String scenario;

    @Option(names = "--when-full", defaultValue = "wait",
            description = "What a node does when every slot is held: wait, mark-unhealthy, terminate-self. Default: ${DEFAULT-VALUE}.")
    String whenFull;

    @Option(names = "--cross-zone", defaultValue = "never",
            description = {"Whether a slot's volume may move to another zone: never, snapshot (of the live volume: waits",
                    "for an unreachable zone) or latest-snapshot (holders run berth snapshot hourly; an unreachable",
                    "zone's slots move from their latest snapshot if younger than 120 minutes). Default: ${DEFAULT-VALUE}."})
    String crossZone;

    @Option(names = "--plan", description = {"Replay a list of steps instead of a named scenario, e.g.",
            "'crash:2:5a,kill:1@120,stale@0+600' (crash:I:C[a], pause:I:C+S, kill:I@T, refresh@T, scale:N@T,",
            "outage:Z@T+S, stale@T+S, throttle@T+S, slowstore@T+S; I instance from 1, C SPI call from 1,",
            "T and S simulated seconds, Z zone from 0)."})
    String plan;

    @Option(names = "--elastic-ip", description = "Give every slot its own Elastic IP (network.elasticIp: allocate) for the run.")
    boolean elasticIp;

    @Option(names = "--interface", description = "Give every slot its own network interface (network.interface: per-slot) for the run.")
    boolean networkInterface;

    @Option(names = "--store-model", defaultValue = "none",
            description = {"Charge each store call what the real store plugin makes of it: s3 (LIST pages of 1,000 and a",
                    "few candidate GETs, S3's per-prefix rate of 5,500 GET and 3,500 PUT a second, 503 SlowDown beyond),",
                    "s3-read-all (LIST, then a GET of every slot record), etcd or file; reports storeRequests and",
                    "storeRequestsPerClaim. none: one abstract round trip per call. Default: ${DEFAULT-VALUE}."})
    String storeModel;

    @Option(names = "--shrink", description = "On a violation, cut the run down to the smallest one that still fails and print it.")
    boolean shrink;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--benchmark", description = {"Also measure the simulator itself: after the run, repeat it (seed,",
            "seed+1, ...) for --warmup seconds to warm up and 5 s to measure, and print simulated SPI calls per wall",
            "second on stderr. Run under 'taskset -c 0' for a per-core figure."})
    boolean benchmark;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "30", description = {"Warm-up of --benchmark"
            + " (default ${DEFAULT-VALUE}): on one core the JIT compiles for 15-20 s, and a shorter warm-up measures",
            "mostly the compiler (2 s: about a third of the warm simulator's speed)."})
    int warmupSeconds;

    private final Console console;
    private final Jsonb jsonb;

    SimulateCommand(Console console, Jsonb jsonb) {
        this.console = console;
        this.jsonb = jsonb;
    }

    @Override
    public Integer call() {
        SimulationRequest request;
        if (warmupSeconds < 0 || warmupSeconds > 3_600) {
            throw new UsageException("--warmup " + warmupSeconds + " is out of range: give the seconds --benchmark warms up"
                    + " for, from 0 to 3600 (30 measures the simulator after the JIT has compiled it)");
        }
        try {
            var kind = plan != null && scenario.equals("mass-boot") ? Scenario.PLAN : Scenario.parse(scenario);
            if (kind == Scenario.PLAN && plan == null) {
                throw new UsageException("--scenario plan replays the steps given with --plan, and none were given: add"
                        + " --plan 'kill:1@120,stale@0+600' (see berth simulate --help) or pick a named scenario");
            }
            request = new SimulationRequest(kind, nodes, zones, seed, FullPolicy.parse(whenFull),
                    CrossZonePolicy.parse(crossZone), true, PlanText.parse(plan)).withNetwork(elasticIp, networkInterface)
                    .withStoreModel(StoreModel.parse(storeModel));
        } catch (dev.berth.spi.BerthException e) {
            throw new UsageException(e.getMessage());
        }
        var progress = new ProgressLine(console, request.nodes());
        var report = Simulation.run(request, progress);
        progress.done();
        if (benchmark) {
            benchmark(request);
        }
        if (json) {
            console.out().println(jsonb.toJson(report));
        } else {
            printTable(report);
        }
        if (report.violations() > 0) {
            console.err().println();
            report.shortestTrace().forEach(console.err()::println);
            console.err().println();
            console.err().println("berth simulate: " + report.violations() + " violation(s); replay with: "
                    + request.commandLine());
            if (shrink) {
                console.err().println("berth simulate: shrinking...");
                var result = new Shrinker(Simulation::run, 400).shrink(request);
                console.err().println("berth simulate: smallest failing run (" + result.runs() + " runs tried): "
                        + result.smallest().commandLine());
                result.report().shortestTrace().forEach(console.err()::println);
            }
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    private void benchmark(SimulationRequest request) {
        long warmEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
        long seedOffset = 1;
        while (System.nanoTime() < warmEnd) {
            Simulation.run(withSeed(request, request.seed() + seedOffset++));
        }
        long calls = 0;
        long steps = 0;
        int runs = 0;
        long start = System.nanoTime();
        long end = start + 5_000_000_000L;
        while (System.nanoTime() < end || runs == 0) {
            var r = Simulation.run(withSeed(request, request.seed() + seedOffset++));
            calls += r.spiCalls();
            steps += r.steps();
            runs++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        console.err().printf("benchmark: %d runs of %s with %d nodes, %d simulated SPI calls (%d scheduler steps) in %.2f s"
                + " wall after %d s of warm-up: %.0f SPI calls/s, %.0f steps/s%n", runs, request.scenario().cliName(), request.nodes(),
                calls, steps, seconds, warmupSeconds, calls / seconds, steps / seconds);
    }

    private static SimulationRequest withSeed(SimulationRequest r, long seed) {
        return new SimulationRequest(r.scenario(), r.nodes(), r.zones(), seed, r.whenFull(), r.crossZone(), false, r.plan())
                .withNetwork(r.elasticIp(), r.networkInterface()).withStoreModel(r.storeModel());
    }

    private void printTable(SimulationReport r) {
        var out = console.out();
        out.printf("berth simulate: scenario %s, seed %d%n", r.scenario(), r.seed());
        row(out, "nodes", r.nodes());
        row(out, "zones", r.zones());
        row(out, "slots (held)", r.slots() + " (" + r.slotsHeld() + ")");
        row(out, "volumes created", r.volumesCreated() + (r.idempotentCreates() > 0 ? " (+" + r.idempotentCreates()
                + " repeated creates answered idempotently)" : ""));
        row(out, "snapshots", r.snapshots() + (r.snapshotsTaken() > 0 ? " (" + r.snapshotsTaken() + " periodic, "
                + r.snapshotsDeleted() + " deleted by retention)" : ""));
        if (r.movesFromLatestSnapshot() > 0) {
            row(out, "moves from latest snapshot", r.movesFromLatestSnapshot() + ", oldest snapshot used "
                    + r.maxDataLossMinutes() + " min (bound " + r.maxSnapshotAgeMinutes() + " min)");
        }
        row(out, "retired volumes attached", r.retiredVolumesAttached());
        if (r.addressesAllocated() > 0 || r.interfacesCreated() > 0) {
            row(out, "addresses", r.addressesAllocated() + " Elastic IPs, " + r.interfacesCreated() + " interfaces, "
                    + r.addressMoves() + " moves to a new holder");
        }
        row(out, "CAS attempts per node", String.format("%.3f (%d in all)", r.casAttemptsPerNode(), r.casAttempts()));
        row(out, "happy-path calls", r.happyPathCalls() + " sequential cloud/store calls (max " + r.happyPathCallsMax() + ")");
        if (r.storeModel() != null) {
            row(out, "store requests (" + r.storeModel() + ")", r.storeRequests() + String.format(" (%.1f per claim, %d",
                    r.storeRequestsPerClaim() == null ? 0.0 : r.storeRequestsPerClaim(), r.storeSlowDowns()) + " SlowDown)");
        }
        row(out, "time to converge", seconds(r.convergeMillis()) + " simulated (last phase)");
        row(out, "slowest claim", seconds(r.slowestClaimMillis()) + String.format(" (%.2fx a lone node's %s)",
                r.claimTimeRatio(), seconds(r.singleClaimMillis())));
        row(out, "crashes / errors / full", r.crashes() + " / " + r.claimErrors()
                + (r.unexplainedClaimErrors() > 0 ? " (" + r.unexplainedClaimErrors() + " no fault explains)" : "")
                + " / " + r.fullOutcomes());
        row(out, "SPI calls", r.spiCalls() + " (cloud " + r.cloudCalls() + ", store " + r.storeCalls() + ", throttled "
                + r.throttled() + ")");
        row(out, "simulated time", seconds(r.simulatedMillis()) + " in " + r.steps() + " steps");
        row(out, "violations", r.violations());
        r.waitingMessages().forEach(m -> row(out, "seen in the logs", m));
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
