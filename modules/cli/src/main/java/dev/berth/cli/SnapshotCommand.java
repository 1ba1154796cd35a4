package dev.berth.cli;

import dev.berth.core.claim.PeriodicSnapshot;
import dev.berth.core.claim.SnapshotOutcome;
import dev.berth.spi.BerthException;
import dev.berth.spi.ConfigException;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth snapshot}: one periodic snapshot of the held slot's volume, recorded in the slot, with retention. */
@Singleton
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = {"Snapshot this instance's slot volume; keep the newest few.",
                "Run by berth-snapshot.timer every snapshots.everyMinutes. Starts a snapshot tagged with the cluster,"
                        + " slot, epoch and time, waits for it to complete (waits.snapshotSeconds), records it in the"
                        + " slot as its latest (the snapshot crossZone: latest-snapshot moves the slot from when its"
                        + " zone is lost), then deletes the slot's older periodic snapshots beyond snapshots.keep"
                        + " (never one a slot record names). Crash-consistent, like a power cut. Exit 0 when done or"
                        + " when there is nothing to snapshot."})
final class SnapshotCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "The berth YAML config file (as for berth claim).")
    Path config;

    private final Console console;
    private final BerthHome home;

    SnapshotCommand(Console console, BerthHome home) {
        this.console = console;
        this.home = home;
    }

    @Override
    public Integer call() {
        var resolved = ClaimConfig.resolve(ConfigFile.load(config), ClaimConfig.Flags.none(), home.plugins());
        var settings = resolved.settings();
        if (settings.snapshots().everyMinutes() == 0) {
            console.out().println("periodic snapshots are off (snapshots.everyMinutes is 0 and crossZone is not"
                    + " latest-snapshot): nothing to do");
            return ExitCodes.OK;
        }
        var loaded = ClaimCommand.loadPlugins(resolved);
        var factory = ClaimCommand.cloudFactory(loaded, resolved);
        if (factory instanceof dev.berth.core.plugin.ClaimRunnerFactory) {
            // static and sim run their own claim: their volumes are directories or simulated, not cloud volumes
            throw new UsageException("provider '" + resolved.provider() + "' has no snapshots: snapshot its directories"
                    + " or devices with your own tools, and leave snapshots.everyMinutes at 0");
        }
        var log = console.log("snapshot").with("cluster", resolved.settings().cluster());
        var textfile = resolved.metricsTextfile().map(f -> new MetricsTextfile(f, log));
        long started = System.nanoTime();
        try (var store = ClaimCommand.openStore(loaded, resolved);
             var cloud = ClaimCommand.cloudOf(factory, resolved, home, store)) {
            var outcome = new PeriodicSnapshot(settings, ClaimCommand.contextOf(loaded, resolved, home, cloud, store, log))
                    .run();
            switch (outcome) {
                case SnapshotOutcome.NothingToSnapshot none -> console.out().println("nothing to snapshot: " + none.why());
                case SnapshotOutcome.Taken taken -> console.out().println("slot " + taken.slot() + ": snapshot "
                        + taken.snapshot().snapshotId() + " of " + taken.snapshot().volumeId()
                        + (taken.recorded() ? " recorded as the slot's latest" : " not recorded (the slot changed hands)")
                        + (taken.deleted().isEmpty() ? "" : "; deleted " + String.join(", ", taken.deleted())));
            }
            textfile.ifPresent(t -> DaemonMetrics.snapshot(t, resolved.settings().cluster(),
                    outcome instanceof SnapshotOutcome.Taken ? "taken" : "nothing", (System.nanoTime() - started) / 1_000_000,
                    outcome instanceof SnapshotOutcome.Taken taken ? taken.deleted().size() : 0));
            return ExitCodes.OK;
        } catch (UsageException | ConfigException e) {
            throw e;
        } catch (BerthException e) {
            textfile.ifPresent(t -> DaemonMetrics.snapshot(t, resolved.settings().cluster(), "failed",
                    (System.nanoTime() - started) / 1_000_000, 0));
            log.error(e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
