package dev.berth.cli;

import dev.berth.core.claim.ClaimException;
import dev.berth.core.claim.OperatorRelease;
import dev.berth.core.claim.Ticker;
import dev.berth.spi.BerthException;
import dev.berth.spi.ConfigException;
import jakarta.inject.Singleton;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth release --slot N}: the operator frees a slot whose holder is gone, fencing any late holder. */
@Singleton
@Command(name = "release", mixinStandardHelpOptions = true,
        description = {"Free a slot whose holder is gone (fenced: its epoch rises).",
                "Clears the slot's holder and raises its epoch in one compare-and-set, so that a late holder is fenced"
                        + " off at its next write, then detaches the slot's volume from an instance that is gone. A live"
                        + " holder is released only with --force --yes. Exit 0: released; 1: refused or failed; 2: bad input."})
final class ReleaseCommand implements Callable<Integer> {

    @Mixin
    FleetOptions fleet;

    @Option(names = "--slot", required = true, description = "The slot to release.")
    int slot;

    @Option(names = "--force", description = "Release it even from a live holder (fenced off, as claim --force does).")
    boolean force;

    @Option(names = "--yes", description = "Confirm --force without asking (for scripts); --force needs it.")
    boolean yes;

    private final Console console;
    private final BerthHome home;

    ReleaseCommand(Console console, BerthHome home) {
        this.console = console;
        this.home = home;
    }

    @Override
    public Integer call() {
        if (slot < 0) {
            throw new UsageException("--slot " + slot + " is negative: slots are numbered from 0 (berth status lists them)");
        }
        if (force && !yes) {
            throw new UsageException("--force takes slot " + slot + " from a holder that may still run its workload: add"
                    + " --yes to confirm that you have stopped it or know it is dead");
        }
        var resolved = fleet.resolve(home.plugins());
        var log = console.log("release").with("cluster", resolved.settings().cluster());
        try {
            return FleetAccess.with(resolved, home, log, access -> {
                var released = new OperatorRelease(access.cloud, access.store, resolved.settings().cluster(),
                        resolved.settings().waits(), Ticker.system(), log).release(slot, force);
                var out = console.out();
                out.println("released slot " + released.slot() + " (now at epoch " + released.epoch() + ")"
                        + (released.previousHolder() == null ? "; it had no holder"
                        : "; its holder " + released.previousHolder() + " (" + released.previousState().name().toLowerCase()
                        + ") is fenced off"));
                released.detached().forEach(d -> out.println("detached volume " + d));
                released.stillAttached().forEach(d -> out.println("volume " + d + " stays attached until that instance"
                        + " lets go (stop berth and the workload there) or terminates"));
                return ExitCodes.OK;
            });
        } catch (UsageException | ConfigException e) {
            throw e;
        } catch (ClaimException e) {
            log.error(e.kind().name().toLowerCase().replace('_', '-') + ": " + e.getMessage());
            return ExitCodes.FAILED;
        } catch (BerthException e) {
            log.error("failed: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
