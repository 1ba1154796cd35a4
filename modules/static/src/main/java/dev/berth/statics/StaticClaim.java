package dev.berth.statics;

import dev.berth.core.claim.ClaimContext;
import dev.berth.core.claim.ClaimOutcome;
import dev.berth.core.claim.ClaimProtocol;
import dev.berth.core.claim.ClaimSettings;
import dev.berth.core.claim.SlotRelease;
import dev.berth.core.claim.Ticker;
import dev.berth.core.host.SystemdUnit;
import dev.berth.core.plugin.ClaimRunner;
import dev.berth.spi.BerthException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@code berth claim --provider static}: bare metal. This instance's liveness is a lease in the
 * claim store, renewed for as long as the process runs; so the process stays in the foreground
 * after the claim (as the slot's keeper) and, when stopped (SIGTERM), releases the slot and then
 * its lease. Killed outright, its lease expires and another instance may take the slot. A
 * holder that loses its lease (a stall past it) or its slot stops the workload (providerSettings
 * {@code workload-unit}, a systemd unit), unmounts, removes the env file and exits 1.
 */
final class StaticClaim implements ClaimRunner {
    private final StaticSettings settings;
    private final String workloadUnit;
    private final Ticker ticker;

    StaticClaim(StaticSettings settings, String workloadUnit, Ticker ticker) {
        this.settings = settings;
        this.workloadUnit = workloadUnit;
        this.ticker = ticker;
    }

    /** Claims, then keeps the lease until stopped; {@code onOutcome} reports the claim as soon as it is known. */
    @Override
    public ClaimOutcome claim(ClaimSettings claimSettings, Parts parts, Consumer<ClaimOutcome> onOutcome) {
        var store = parts.store();
        var log = parts.log();
        var keeper = new LeaseKeeper(store, settings, ticker);
        keeper.acquire();
        var stop = new AtomicBoolean();
        var lost = new AtomicReference<BerthException>();
        var renewer = Thread.ofPlatform().daemon().name("berth-lease").start(() -> {
            try {
                keeper.runUntilStopped(stop::get);
            } catch (BerthException e) {
                lost.set(e);
            }
        });
        var devices = new StaticBlockDevices();
        var cloud = new StaticCloudProvider(store, settings, ticker);
        var context = new ClaimContext(cloud, store, devices, devices, parts.identity().get(), parts.keys().get(), ticker, log,
                parts.envFile());
        ClaimOutcome outcome;
        try {
            outcome = new ClaimProtocol(claimSettings, context).claim();
        } catch (RuntimeException e) {
            stopRenewing(stop, renewer);
            keeper.release();
            throw e;
        }
        onOutcome.accept(outcome);
        var lease = switch (outcome) {
            case ClaimOutcome.Claimed c -> c.lease();
            case ClaimOutcome.Resumed r -> r.lease();
            case ClaimOutcome.Full full -> null;
            case ClaimOutcome.Deferred deferred -> null;
        };
        if (lease == null) {
            stopRenewing(stop, renewer);
            keeper.release();
            return outcome;
        }
        keeper.guard(lease.slot(), lease.epoch());
        var letGo = new AtomicBoolean();
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopRenewing(stop, renewer);
            if (!letGo.get()) {
                log.info("stopping: releasing slot " + lease.slot() + " and the lease (a clean shutdown)");
                try {
                    new SlotRelease(claimSettings, context).release();
                } catch (RuntimeException e) {
                    log.info("could not release the slot cleanly: " + e.getMessage() + "; its lease will expire");
                }
                keeper.release();
            }
            stopped.countDown();
        }, "berth-release"));
        log.info("keeping the slot: lease " + keeper.key() + " renewed every " + settings.leaseTtlMillis() / 3000
                + " s; stop this process (SIGTERM) to release the slot");
        try {
            renewer.join();
            if (lost.get() != null && !stop.get() && letGo.compareAndSet(false, true)) {
                // Another instance may take the slot now, on this machine too: stop using it before exiting.
                log.info(lost.get().getMessage());
                var failed = new LostSlotCleanup(settings, devices, cloud, log).letGo(lease, claimSettings.envFile(),
                        () -> SystemdUnit.stop(workloadUnit, 120), keeper);
                throw new BerthException("slot " + lease.slot() + " was lost (" + lost.get().getMessage() + ")"
                        + (failed.isEmpty() ? "; the workload was stopped and the volume let go of" : "; could not "
                        + String.join("; could not ", failed)));
            }
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return outcome;
    }

    private static void stopRenewing(AtomicBoolean stop, Thread renewer) {
        stop.set(true);
        renewer.interrupt();
        try {
            renewer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
