package dev.berth.cli;

import dev.berth.core.fleet.GcPlan;
import dev.berth.core.fleet.GcPlanner;
import dev.berth.core.fleet.GcRun;
import dev.berth.spi.BerthException;
import dev.berth.spi.ConfigException;
import io.avaje.jsonb.Json;
import io.avaje.jsonb.Jsonb;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth gc}: lists (and with --apply deletes) what the fleet left behind. */
@Singleton
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = {"List (delete with --apply) volumes and snapshots nobody needs.",
                "Orphaned volumes (tagged for the cluster, named by no slot), volumes retired by a cross-zone move,"
                        + " snapshots of moves that are over; with --slots-above-capacity, also the unheld slots above"
                        + " capacity (after a scale-in) and their volumes. Never anything a slot or an in-flight volume"
                        + " intent names, never an attached volume; safe while claims run. A dry run unless --apply."
                        + " Exit 0: done (or nothing to do); 1: something could not be deleted; 2: bad input."})
final class GcCommand implements Callable<Integer> {
    private static final Pattern DURATION = Pattern.compile("(\\d+)([smhd]?)");

    @Mixin
    FleetOptions fleet;

    @Option(names = "--apply", description = "Delete what is listed (default: only list it).")
    boolean apply;

    @Option(names = "--older-than", defaultValue = "0",
            description = "Only what is at least this old: 90m, 6h, 7d (default ${DEFAULT-VALUE}: no bound).")
    String olderThan;

    @Option(names = "--slots-above-capacity", split = ",", arity = "0..*", paramLabel = "N",
            description = "Also remove the unheld slots above capacity (all of them, or the ones named) and their volumes.")
    List<Integer> aboveCapacity;

    @Option(names = "--json", description = "Print one JSON object: delete, keep, done.")
    boolean json;

    private final Console console;
    private final BerthHome home;
    private final Jsonb jsonb;

    GcCommand(Console console, BerthHome home, Jsonb jsonb) {
        this.console = console;
        this.home = home;
        this.jsonb = jsonb;
    }

    static long millis(String text) {
        var m = DURATION.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new UsageException("--older-than '" + text + "' is not a duration: write a number with s, m, h or d,"
                    + " such as 90m, 6h or 7d");
        }
        long n = Long.parseLong(m.group(1));
        return n * switch (m.group(2)) {
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            case "d" -> 86_400_000L;
            default -> 1_000L;
        };
    }

    @Override
    public Integer call() {
        long bound = millis(olderThan);
        var resolved = fleet.resolve(home.plugins());
        var log = console.log("gc").with("cluster", resolved.settings().cluster());
        try {
            return FleetAccess.with(resolved, home, log, access -> {
                var view = access.reader().read();
                var named = new HashSet<Integer>();
                if (aboveCapacity != null) {
                    if (aboveCapacity.isEmpty()) {
                        view.table().slots().forEach(e -> named.add(e.slot()));
                    } else {
                        for (var n : aboveCapacity) {
                            if (n < view.capacity()) {
                                throw new UsageException("--slots-above-capacity " + n + " is below the capacity of "
                                        + view.capacity() + ": only slots " + view.capacity() + " and above can be removed");
                            }
                            named.add(n);
                        }
                    }
                }
                Map<String, Long> created = bound > 0
                        ? access.calls.run("read creation times", () -> access.cloud.createdMillis(GcPlanner.candidates(view)))
                        : Map.of();
                var plan = GcPlanner.plan(view, named, created, bound);
                List<GcRun.Done> done = apply ? new GcRun(access.cloud, access.store, access.calls, log,
                        resolved.settings().cluster()).apply(view, plan) : List.of();
                print(plan, done);
                return done.stream().anyMatch(d -> !d.deleted() && d.note().startsWith("not deleted"))
                        ? ExitCodes.FAILED : ExitCodes.OK;
            });
        } catch (UsageException | ConfigException e) {
            throw e;
        } catch (BerthException e) {
            log.error(e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    private void print(GcPlan plan, List<GcRun.Done> done) {
        if (json) {
            console.out().println(jsonb.toJson(new GcJson(apply, items(plan.delete()), items(plan.keep()),
                    done.stream().map(d -> new DoneJson(d.item().kind().text(), d.item().id(), d.deleted(), d.note())).toList())));
            return;
        }
        var out = console.out();
        if (plan.delete().isEmpty()) {
            out.println("nothing to delete");
        } else {
            out.println((apply ? "deleting " : "would delete (dry run; --apply deletes) ") + plan.delete().size() + ":");
            plan.delete().forEach(i -> out.println("  " + i.kind().text() + " " + i.id() + ": " + i.reason()));
        }
        if (!plan.keep().isEmpty()) {
            out.println("keeping " + plan.keep().size() + ":");
            plan.keep().forEach(i -> out.println("  " + i.kind().text() + " " + i.id() + ": " + i.reason()));
        }
        done.stream().filter(d -> !d.deleted()).forEach(d -> out.println("  " + d.item().id() + ": " + d.note()));
    }

    private static List<ItemJson> items(List<GcPlan.Item> items) {
        return items.stream().map(i -> new ItemJson(i.kind().text(), i.id(), i.slot() < 0 ? null : i.slot(), i.reason())).toList();
    }

    @Json
    record GcJson(boolean apply, List<ItemJson> delete, List<ItemJson> keep, List<DoneJson> done) {
    }

    @Json
    record ItemJson(String kind, String id, Integer slot, String reason) {
    }

    @Json
    record DoneJson(String kind, String id, boolean deleted, String note) {
    }
}
