package dev.berth.cli;

import dev.berth.core.claim.SlotKeeper;
import dev.berth.spi.BerthException;
import dev.berth.spi.TerminationNotice;
import dev.berth.spi.ConfigException;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth keeper}: waits beside the workload for the termination notice, then lets go of the slot cleanly. */
@Singleton
@Command(name = "keeper", mixinStandardHelpOptions = true,
        description = {"Release the slot when the instance is told to terminate.",
                "Stays beside the workload and watches for the instance's termination notice (Auto Scaling's target"
                        + " lifecycle state Terminated or Warmed:*, a spot interruption). Then stops the workload unit,"
                        + " unmounts, detaches, releases the slot and, going to Terminated, completes the lifecycle hook."
                        + " Exit 0 when done."})
final class KeeperCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "The berth YAML config file (as for berth claim).")
    Path config;

    @Option(names = "--workload-unit", description = "The systemd unit to stop first (e.g. avalanchego.service).")
    String workloadUnit;

    @Option(names = "--hook-name", description = "The lifecycle hook to complete when the notice names none.")
    String hookName;

    @Option(names = "--poll-seconds", defaultValue = "5", description = "How often to look for the notice. Default: ${DEFAULT-VALUE}.")
    int pollSeconds;

    private final Console console;
    private final BerthHome home;

    KeeperCommand(Console console, BerthHome home) {
        this.console = console;
        this.home = home;
    }

    @Override
    public Integer call() {
        if (pollSeconds < 1 || pollSeconds > 300) {
            throw new UsageException("--poll-seconds " + pollSeconds + " is out of range: give 1 to 300");
        }
        var resolved = ClaimConfig.resolve(ConfigFile.load(config), ClaimConfig.Flags.none(), home.plugins());
        var loaded = ClaimCommand.loadPlugins(resolved);
        var factory = ClaimCommand.cloudFactory(loaded, resolved);
        if (factory instanceof dev.berth.core.plugin.ClaimRunnerFactory) {
            throw new UsageException("provider '" + resolved.provider() + "' runs its own claim and has no termination"
                    + " notice to watch: with static, berth claim itself keeps the slot and releases it on SIGTERM");
        }
        var log = console.log("keeper").with("cluster", resolved.settings().cluster());
        var textfile = resolved.metricsTextfile().map(f -> new MetricsTextfile(f, log));
        var cluster = resolved.settings().cluster();
        var lastBeat = new long[] {Long.MIN_VALUE};
        Runnable heartbeat = () -> textfile.ifPresent(t -> {   // at each look for the notice, at most every 5 s
            long now = System.nanoTime();
            if (lastBeat[0] == Long.MIN_VALUE || now - lastBeat[0] >= 5_000_000_000L) {
                lastBeat[0] = now;
                DaemonMetrics.keeper(t, cluster, "watching");
            }
        });
        try (var store = ClaimCommand.openStore(loaded, resolved);
             var cloud = ClaimCommand.cloudOf(factory, resolved, home, store)) {
            var keeper = new SlotKeeper(resolved.settings(), ClaimCommand.contextOf(loaded, resolved, home, cloud, store, log,
                    new MeteredTicker(dev.berth.core.claim.Ticker.system(), heartbeat)));
            log.info("keeper: watching for a termination notice every " + pollSeconds + " s");
            heartbeat.run();
            var notice = keeper.awaitNotice(pollSeconds * 1000L, -1).orElseThrow();
            int slot = keeper.letGo(notice, Optional.ofNullable(hookName)
                    .or(() -> resolved.providerSettings().get("lifecycleHook")), this::stopWorkload);
            textfile.ifPresent(t -> DaemonMetrics.keeper(t, cluster, "released"));
            console.out().println(slot < 0 ? "held no slot; hook completed" : "released slot " + slot);
            return ExitCodes.OK;
        } catch (UsageException | ConfigException e) {
            throw e;
        } catch (BerthException e) {
            textfile.ifPresent(t -> DaemonMetrics.keeper(t, cluster, "failed"));
            log.error(e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    /** Stops the workload unit, within a minute on a spot interruption (two minutes in all), else two. */
    private void stopWorkload(TerminationNotice notice) {
        dev.berth.core.host.SystemdUnit.stop(workloadUnit, notice.kind() == TerminationNotice.Kind.SPOT ? 60 : 120);
    }
}
