package dev.berth.cli;

import dev.berth.core.claim.ClaimLog;
import dev.berth.core.claim.SlotKeeper;
import dev.berth.spi.BerthException;
import dev.berth.spi.TerminationNotice;
import dev.berth.spi.ConfigException;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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
        if (resolved.provider().equals("sim") || resolved.provider().equals("static")) {
            throw new UsageException("provider '" + resolved.provider() + "' has no termination notice to watch:"
                    + " with static, berth claim itself keeps the slot and releases it on SIGTERM");
        }
        var loaded = ClaimCommand.loadPlugins(resolved);
        ClaimLog log = message -> console.err().println("berth: " + message);
        try (var store = ClaimCommand.openStore(loaded, resolved); var cloud = ClaimCommand.cloudOf(loaded, resolved)) {
            var keeper = new SlotKeeper(resolved.settings(), ClaimCommand.contextOf(loaded, resolved, cloud, store, log));
            log.info("keeper: watching for a termination notice every " + pollSeconds + " s");
            var notice = keeper.awaitNotice(pollSeconds * 1000L, -1).orElseThrow();
            int slot = keeper.letGo(notice, Optional.ofNullable(hookName)
                    .or(() -> resolved.providerSettings().get("lifecycleHook")), this::stopWorkload);
            console.out().println(slot < 0 ? "held no slot; hook completed" : "released slot " + slot);
            return ExitCodes.OK;
        } catch (UsageException | ConfigException e) {
            throw e;
        } catch (BerthException e) {
            console.err().println("berth keeper: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }

    /** Stops the workload unit, within a minute on a spot interruption (two minutes in all), else two. */
    private void stopWorkload(TerminationNotice notice) {
        stopUnit(workloadUnit, notice.kind() == TerminationNotice.Kind.SPOT ? 60 : 120);
    }

    /** {@code systemctl stop unit}, bounded; nothing when {@code workloadUnit} is null. Shared with the static claim. */
    static void stopUnit(String workloadUnit, int bound) {
        if (workloadUnit == null) {
            return;
        }
        try {
            var process = new ProcessBuilder("systemctl", "stop", workloadUnit).redirectErrorStream(true).start();
            if (!process.waitFor(bound, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new BerthException("systemctl stop " + workloadUnit + " did not finish in " + bound + " s: the"
                        + " workload still runs, so the slot is not released; stop it by hand");
            }
            if (process.exitValue() != 0) {
                throw new BerthException("systemctl stop " + workloadUnit + " failed (exit " + process.exitValue() + "): "
                        + new String(process.getInputStream().readAllBytes()).strip()
                        + "; the slot is not released while the workload may run");
            }
        } catch (java.io.IOException e) {
            throw new BerthException("could not run systemctl to stop " + workloadUnit + " (" + e.getMessage()
                    + "); the slot is not released while the workload may run");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException("interrupted while stopping " + workloadUnit);
        }
    }
}
