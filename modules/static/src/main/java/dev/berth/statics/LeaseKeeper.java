package dev.berth.statics;

import dev.berth.core.claim.BoundedWait;
import dev.berth.core.claim.ClaimLog;
import dev.berth.core.claim.Ticker;
import dev.berth.core.slot.CorruptSlotRecordException;
import dev.berth.core.slot.SlotCodec;
import dev.berth.core.slot.SlotKeys;
import dev.berth.core.slot.SlotRecord;
import dev.berth.spi.BerthException;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.CloudException;
import dev.berth.spi.Conflict;
import dev.berth.spi.Deleted;
import dev.berth.spi.StoreException;
import dev.berth.spi.Written;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Keeps this instance's lease at {@code clusters/<cluster>/leases/<instanceId>} in the claim
 * store: the static provider's proof that the instance lives. Every write is conditional
 * (put-if-absent, compare-and-set, delete-if-version). A lease carries the random session id of
 * the process that wrote it; a live lease of another session under this instance id is never
 * overwritten (two processes configured with one id would otherwise both hold its slot).
 *
 * <p>A holder whose lease lapses may lose its slot to another instance: {@link #runUntilStopped}
 * never renews a lapsed lease, and throws as soon as the lease or the slot is lost, so that the
 * caller stops the workload and lets go of the volume.
 */
public final class LeaseKeeper {
    private static final int MAX_WRITE_CONFLICTS = 8;

    private final ClaimStore store;
    private final StaticSettings settings;
    private final Ticker ticker;
    private final String session;
    private final String key;
    private String version;
    private long expiresAtMillis = Long.MIN_VALUE;
    private Guard guarded;

    public LeaseKeeper(ClaimStore store, StaticSettings settings, Ticker ticker) {
        this(store, settings, ticker, UUID.randomUUID().toString());
    }

    LeaseKeeper(ClaimStore store, StaticSettings settings, Ticker ticker, String session) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings").requireMember();
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.session = Objects.requireNonNull(session, "session");
        this.key = settings.leaseKey(settings.instanceId());
    }

    /** The store key of this instance's lease. */
    public String key() {
        return key;
    }

    /** When the lease written last by this keeper expires (store clock of this machine); MIN_VALUE before the first write. */
    public synchronized long expiresAtMillis() {
        return expiresAtMillis;
    }

    /**
     * Writes or renews this instance's lease (expires at now + TTL) and returns its expiry.
     *
     * @throws CloudException CONFLICT when another process holds a live lease under this instance id
     * @throws StoreException when the store does not answer (the write may or may not have happened)
     */
    public synchronized long acquireOrRenew() {
        for (int attempt = 0; attempt < MAX_WRITE_CONFLICTS; attempt++) {
            long now = ticker.nowMillis();
            var next = new LeaseRecord(settings.instanceId(), settings.zone(), now + settings.leaseTtlMillis(), session);
            var current = store.get(key);
            var result = current.isEmpty()
                    ? store.putIfAbsent(key, next.toBytes())
                    : renewOver(current.get().value(), current.get().version(), now, next);
            if (result instanceof Written written) {
                version = written.version();
                expiresAtMillis = next.expiresAtMillis();
                return expiresAtMillis;
            }
            // Conflict: the record changed between our read and our write; read again.
        }
        throw new CloudException(CloudException.Reason.CONFLICT, key, "the lease of instance " + settings.instanceId()
                + " at '" + key + "' changed under every one of " + MAX_WRITE_CONFLICTS + " writes: another process"
                + " is writing it; make sure only one berth runs per instance id, then re-run");
    }

    private dev.berth.spi.WriteResult renewOver(byte[] value, String currentVersion, long now, LeaseRecord next) {
        var current = LeaseRecord.parse(key, value);
        if (!current.session().equals(session) && current.liveAt(now)) {
            throw new CloudException(CloudException.Reason.CONFLICT, key, "instance id " + settings.instanceId()
                    + " already has a live lease at '" + key + "' written by another berth process (it expires in "
                    + (current.expiresAtMillis() - now) + " ms unless renewed): if that process is a crashed"
                    + " predecessor, wait for the lease to expire; if it still runs, two machines share one"
                    + " instance id: give each its own --instance-id");
        }
        return store.compareAndSet(key, currentVersion, next.toBytes());
    }

    /**
     * Acquires the lease, waiting (at most one TTL and a third) for a lease left by a crashed
     * predecessor with this instance id to expire.
     */
    public long acquire() {
        long ttl = settings.leaseTtlMillis();
        var conflict = new CloudException[1];
        return BoundedWait.forThe("the lease of instance " + settings.instanceId() + " at '" + key + "' to be free",
                        ticker, ClaimLog.silent())
                .bound(BoundedWait.Bound.of("lease-ttl-millis + a third", ttl + ttl / 3))
                .backoff(Math.max(100, ttl / 10), Math.max(100, ttl / 10))
                .onExpiry(expired -> conflict[0])
                .until(() -> {
                    try {
                        return BoundedWait.Poll.done(acquireOrRenew());
                    } catch (CloudException e) {
                        if (e.reason() != CloudException.Reason.CONFLICT) {
                            throw e;
                        }
                        conflict[0] = e;
                        return BoundedWait.Poll.pending(e.getMessage());
                    }
                });
    }

    /**
     * Deletes this process's lease (only if it is still this process's record): the instance
     * counts as gone at once. Returns false when there was nothing of ours to delete.
     */
    public synchronized boolean release() {
        var current = store.get(key);
        if (current.isEmpty()) {
            version = null;
            return false;
        }
        var record = LeaseRecord.parse(key, current.get().value());
        if (!record.session().equals(session)) {
            return false;
        }
        var result = store.deleteIfVersion(key, current.get().version());
        if (result instanceof Deleted) {
            version = null;
            expiresAtMillis = Long.MIN_VALUE;
            return true;
        }
        var seen = ((Conflict) result).current();
        throw new CloudException(CloudException.Reason.CONFLICT, key, "the lease of instance " + settings.instanceId()
                + " at '" + key + "' changed while it was being released" + (seen.isPresent() ? "" : " (it is gone)")
                + ": re-run the release; if it keeps changing another process uses this instance id");
    }

    /**
     * From now on, every renewal first checks that slot {@code slot} of the cluster still names this
     * instance as holder at {@code epoch}: a lease is renewed only for a slot still held.
     */
    public synchronized void guard(int slot, long epoch) {
        this.guarded = new Guard(slot, epoch);
    }

    private record Guard(int slot, long epoch) {
    }

    /**
     * Renews the lease every TTL/3 until {@code stop} says so, then returns. Each renewal is
     * conditional: a compare-and-set on the version this keeper wrote last, made only while the
     * lease has not yet expired and (once {@link #guard guarded}) while the slot still names this
     * instance at its epoch. Otherwise the lease is lost and never written again: this throws
     * {@link LeaseLostException}, and the caller stops the workload and lets go of the slot.
     * A stop (an interrupted sleep included) is a clean end, not a loss.
     */
    public void runUntilStopped(BooleanSupplier stop) {
        long interval = Math.max(1, settings.leaseTtlMillis() / 3);
        if (expiresAtMillis() == Long.MIN_VALUE && !stop.getAsBoolean()) {
            acquire();
        }
        if (stop.getAsBoolean()) {
            return;
        }
        try {
            // no bound: renews until stopped or lost; each pause is between half an interval and one
            BoundedWait.forThe("a stop", ticker, ClaimLog.silent()).backoff(interval, interval).quiet().until(() -> {
                if (stop.getAsBoolean()) {
                    return BoundedWait.Poll.done(Boolean.TRUE);
                }
                try {
                    renew();
                } catch (StoreException e) {
                    if (ticker.nowMillis() >= expiresAtMillis()) {
                        throw lost("the store did not answer (" + e.getMessage() + ") until the lease expired at "
                                + expiresAtMillis() + " ms since the epoch");
                    }
                    // still live: try again at the next tick
                }
                return BoundedWait.Poll.pending("renewed");
            });
        } catch (LeaseLostException e) {
            throw e;
        } catch (RuntimeException e) {
            if (stop.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                return; // a shutdown woke us: the caller releases the slot and the lease
            }
            throw e;
        }
    }

    /** One conditional renewal; throws {@link LeaseLostException} when the lease or the slot is no longer this process's. */
    synchronized void renew() {
        long now = ticker.nowMillis();
        if (version == null || now >= expiresAtMillis) {
            throw lost(version == null ? "it was released" : "it expired at " + expiresAtMillis + " ms since the epoch, "
                    + (now - expiresAtMillis) + " ms before this renewal (the process or the machine stalled)");
        }
        var guard = guarded;
        if (guard != null) {
            checkSlot(guard);
        }
        var next = new LeaseRecord(settings.instanceId(), settings.zone(), Math.addExact(now, settings.leaseTtlMillis()),
                session);
        var result = store.compareAndSet(key, version, next.toBytes());
        switch (result) {
            case Written written -> {
                version = written.version();
                expiresAtMillis = next.expiresAtMillis();
            }
            case Conflict conflict -> throw lost(conflict.current().isEmpty() ? "someone deleted it"
                    : "someone else wrote it (version " + conflict.current().get().version() + ", this process wrote "
                    + version + ")");
        }
    }

    private void checkSlot(Guard guard) {
        var keys = new SlotKeys(settings.cluster());
        var slotKey = keys.slot(guard.slot());
        var seen = store.get(slotKey);
        if (seen.isEmpty()) {
            throw lost("slot " + guard.slot() + " at '" + slotKey + "' is gone");
        }
        SlotRecord record;
        try {
            record = new SlotCodec().decode(slotKey, guard.slot(), settings.cluster(), seen.get().value());
        } catch (CorruptSlotRecordException e) {
            throw lost(e.getMessage());
        }
        if (!record.heldBy(settings.instanceId()) || record.epoch() != guard.epoch()) {
            throw lost("slot " + guard.slot() + " is held by " + (record.holder() == null ? "nobody"
                    : "instance " + record.holder().instanceId()) + " at epoch " + record.epoch()
                    + ", not by this instance at epoch " + guard.epoch());
        }
    }

    private LeaseLostException lost(String why) {
        return new LeaseLostException("the lease of instance " + settings.instanceId() + " at '" + key + "' is lost: "
                + why + ". It is not renewed again: another instance may take this instance's slot, so the workload"
                + " must stop and the volume be let go of now; then re-run berth claim");
    }

    /** The lease or the slot is no longer this process's: stop the workload and let go of the volume. */
    public static final class LeaseLostException extends BerthException {
        private static final long serialVersionUID = 1L;

        LeaseLostException(String message) {
            super(message);
        }
    }
}
