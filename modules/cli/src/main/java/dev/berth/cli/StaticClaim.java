package dev.berth.cli;

import dev.berth.core.claim.ClaimContext;
import dev.berth.core.claim.ClaimLog;
import dev.berth.core.claim.ClaimOutcome;
import dev.berth.core.claim.ClaimProtocol;
import dev.berth.core.claim.EnvFileWriter;
import dev.berth.core.claim.SlotRelease;
import dev.berth.core.claim.Ticker;
import dev.berth.core.statics.LeaseKeeper;
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

/**
 * {@code berth claim --provider static}: bare metal. This instance's liveness is a lease in the
 * claim store, renewed for as long as the process runs; so the process stays in the foreground
 * after the claim (as the slot's keeper) and, when stopped (SIGTERM), releases the slot and then
 * its lease. Killed outright, its lease expires and another instance may take the slot.
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
            return StaticSettings.fromConfig(config.settings().cluster(), p);
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
        var renewer = Thread.ofPlatform().daemon().name("berth-lease").start(() -> {
            try {
                keeper.runUntilStopped(stop::get);
            } catch (BerthException e) {
                log.info("lease lost: " + e.getMessage());
                if (!stop.get()) {
                    // without a live lease another instance may take the slot: the workload must stop now
                    Runtime.getRuntime().halt(1);
                }
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
        if (outcome instanceof ClaimOutcome.Full) {
            stopRenewing(stop, renewer);
            keeper.release();
            return outcome;
        }
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopRenewing(stop, renewer);
            try {
                new SlotRelease(config.settings(), context).release();
            } catch (RuntimeException e) {
                log.info("could not release the slot cleanly: " + e.getMessage() + "; its lease will expire");
            }
            keeper.release();
            stopped.countDown();
        }, "berth-release"));
        log.info("keeping the slot: lease " + keeper.key() + " renewed every " + settings.leaseTtlMillis() / 3000
                + " s; stop this process (SIGTERM) to release the slot");
        try {
            renewer.join();
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
