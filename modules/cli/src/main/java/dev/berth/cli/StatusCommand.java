package dev.berth.cli;

import dev.berth.core.fleet.Finding;
import dev.berth.core.fleet.FleetView;
import dev.berth.spi.BerthException;
import dev.berth.spi.ConfigException;
import io.avaje.jsonb.Json;
import io.avaje.jsonb.Jsonb;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth status}: the slot map and what is wrong with the fleet; read-only. */
@Singleton
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show every slot, its holder and volume, and what is wrong.",
                "Read-only: it never writes to the store or the cloud. One row per slot, then the findings (orphan and"
                        + " retired volumes and snapshots, holders gone, volumes attached to an instance that does not"
                        + " hold their slot, slots above capacity, stale volume intents, the store check's verdict)."
                        + " Exit 0: no finding; 1: findings (use it as a monitoring check); 2: bad input."})
final class StatusCommand implements Callable<Integer> {

    @Mixin
    FleetOptions fleet;

    @Option(names = "--json", description = "Print one JSON object: cluster, capacity, slots, findings.")
    boolean json;

    @Option(names = "--metrics", description = "Print the fleet in the Prometheus text format (per-slot held, holder live,"
            + " epoch; findings by kind) for node_exporter's textfile collector; exit 0 once the fleet was read (the"
            + " findings are in the numbers).")
    boolean metrics;

    private final Console console;
    private final BerthHome home;
    private final Jsonb jsonb;

    StatusCommand(Console console, BerthHome home, Jsonb jsonb) {
        this.console = console;
        this.home = home;
        this.jsonb = jsonb;
    }

    @Override
    public Integer call() {
        if (json && metrics) {
            throw new UsageException("--json and --metrics are two formats of the same view: give one of them");
        }
        var resolved = fleet.resolve(home.plugins());
        var log = console.log("status").with("cluster", resolved.settings().cluster());
        try {
            return FleetAccess.with(resolved, home, log, access -> {
                var view = access.reader().read();
                var findings = new ArrayList<>(view.findings());
                try {
                    StoreVerdict.refuseIfUnsafe(access.store, access.calls, jsonb);
                } catch (BerthException e) {
                    findings.add(new Finding(Finding.Kind.STORE_UNSAFE, -1, access.store.describe(), e.getMessage()));
                }
                if (metrics) {
                    console.out().print(FleetMetrics.of(view, findings));
                    return ExitCodes.OK;
                }
                print(view, findings);
                return findings.isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
            });
        } catch (UsageException | ConfigException e) {
            throw e;
        } catch (BerthException e) {
            log.error("could not read the fleet: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    private void print(FleetView view, List<Finding> findings) {
        if (json) {
            var slots = view.rows().stream().map(r -> new SlotJson(r.slot(), r.holder(), r.holderState().name().toLowerCase(),
                    r.epoch(), r.sinceMillis() == 0 ? null : Instant.ofEpochMilli(r.sinceMillis()).toString(), r.volumeId(),
                    r.zone(), r.sizeGiB(), r.attachedTo(), r.identity(), r.backup(), r.modification(), r.intent())).toList();
            var found = findings.stream().map(f -> new FindingJson(f.kind().text(), f.slot() < 0 ? null : f.slot(),
                    f.resource(), f.message())).toList();
            console.out().println(jsonb.toJson(new StatusJson(view.cluster(), view.capacity(), slots, found)));
            return;
        }
        var out = console.out();
        out.println("cluster " + view.cluster() + ": " + view.rows().size() + " slots, capacity " + view.capacity());
        out.printf("%-5s %-21s %-11s %-6s %-21s %-12s %-7s %-16s %-6s %s%n", "SLOT", "HOLDER", "STATE", "EPOCH", "VOLUME",
                "ZONE", "SIZE", "ATTACHED", "BACKUP", "IDENTITY");
        for (var r : view.rows()) {
            out.printf("%-5d %-21s %-11s %-6d %-21s %-12s %-7s %-16s %-6s %s%s%n", r.slot(), dash(r.holder()),
                    r.holderState().name().toLowerCase(), r.epoch(), dash(r.volumeId()), dash(r.zone()),
                    r.sizeGiB() == 0 ? "-" : r.sizeGiB() + "G", dash(r.attachedTo()), r.backup() ? "yes" : "no",
                    dash(r.identity()), (r.modification() == null ? "" : "  [" + r.modification() + "]")
                            + (r.intent() == null ? "" : "  [creating a volume in " + r.intent().split(" ")[0] + "]"));
        }
        if (findings.isEmpty()) {
            out.println("no findings");
            return;
        }
        out.println(findings.size() + " finding" + (findings.size() == 1 ? "" : "s") + ":");
        for (var f : findings) {
            out.println("  " + f.kind().text() + ": " + f.message());
        }
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }

    /** What {@code berth status --json} prints. */
    @Json
    record StatusJson(String cluster, int capacity, List<SlotJson> slots, List<FindingJson> findings) {
    }

    @Json
    record SlotJson(int slot, String holder, String holderState, long epoch, String since, String volumeId, String zone,
                    int sizeGiB, String attachedTo, String identity, boolean backup, String modification, String intent) {
    }

    @Json
    record FindingJson(String kind, Integer slot, String resource, String message) {
    }
}
