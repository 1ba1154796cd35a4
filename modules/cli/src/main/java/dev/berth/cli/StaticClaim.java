package dev.berth.cli;

import dev.berth.core.claim.ClaimContext;
import dev.berth.core.claim.ClaimLog;
import dev.berth.core.claim.ClaimOutcome;
import dev.berth.core.claim.ClaimProtocol;
import dev.berth.core.claim.EnvFileWriter;
import dev.berth.core.claim.SlotRelease;
import dev.berth.core.claim.Ticker;
import dev.berth.core.statics.LeaseKeeper;
import dev.berth.core.statics.LostSlotCleanup;
import dev.berth.core.statics.StaticBlockDevices;
import dev.berth.core.statics.StaticCloudProvider;
import dev.berth.core.statics.StaticSettings;
import dev.berth.spi.BerthException;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.IdentityProvider;
import dev.berth.spi.KeyProvider;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code berth claim --provider static}: bare metal. This instance's liveness is a lease in the
 * claim store, renewed for as long as the process runs; so the process stays in the foreground
 * after the claim (as the slot's keeper) and, when stopped (SIGTERM), releases the slot and then
 * its lease. Killed outright, its lease expires and another instance may take the slot. A
 * holder that loses its lease (a stall past it) or its slot stops the workload (providerSettings
 * {@code workload-unit}, a systemd unit), unmounts, removes the env file and exits 1.
 */
final class StaticClaim {
    private final ClaimConfig config;
    private final ClaimStore store;
    private final ClaimLog log;

    StaticClaim(ClaimConfig config, ClaimStore store, ClaimLog log) {
        this.config = config;
        this.store = store;
        this.log = log;
    }

    static StaticSettings settings(ClaimConfig config) {
        var p = config.providerSettings();
        if (p.get("instance-id").isEmpty() && !config.instanceId().equals("i-local")) {
            p = p.with("instance-id", config.instanceId());
        }
        if (p.get("zone").isEmpty()) {
            p = p.with("zone", config.zone());
        }
        if (p.get("capacity").isEmpty() && config.settings().capacity().isPresent()) {
            p = p.with("capacity", Integer.toString(config.settings().capacity().getAsInt()));
        }
        try {
            return StaticSettings.fromConfig(config.settings().cluster(), p).requireMember();
        } catch (NumberFormatException e) {
            throw new UsageException("providerSettings.capacity is not a whole number: give the number of slots");
        } catch (BerthException e) {
            // every static setting is input: a bad one is exit 2, before anything is claimed
            throw new UsageException(e.getMessage());
        }
    }

    /** Claims, then keeps the lease until stopped; {@code onOutcome} reports the claim as soon as it is known. */
    ClaimOutcome run(Optional<IdentityProvider> identity, Optional<KeyProvider> keys,
                     java.util.function.Consumer<ClaimOutcome> onOutcome) {
        var settings = settings(config);
        var ticker = Ticker.system();
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
        var context = new ClaimContext(cloud, store, devices, devices, identity, keys, ticker, log, EnvFileWriter.local());
        ClaimOutcome outcome;
        try {
            outcome = new ClaimProtocol(config.settings(), context).claim();
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
                    new SlotRelease(config.settings(), context).release();
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
                var unit = config.providerSettings().get("workload-unit").orElse(null);
                var failed = new LostSlotCleanup(settings, devices, cloud, log).letGo(lease, config.settings().envFile(),
                        () -> KeeperCommand.stopUnit(unit, 120), keeper);
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
