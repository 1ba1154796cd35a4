package dev.berth.statics;

import dev.berth.core.claim.ClaimLog;
import dev.berth.core.claim.SlotLease;
import dev.berth.spi.FileSystemDriver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a bare-metal holder does once its lease or its slot is lost (a stall past the lease, an
 * operator's --force): another instance may take the slot at any moment, on this machine too, so
 * it stops the workload, removes its mount link (only when it still points at this slot's
 * volume), removes the env file (only when it still names this slot and epoch), lets go of the
 * directory volume (only when it is still attached to this instance) and deletes its own lease
 * (only when it is still this process's). It never writes the slot record: the slot is no
 * longer this instance's. Each step runs even when an earlier one failed; failures are returned.
 */
public final class LostSlotCleanup {
    private final StaticSettings settings;
    private final FileSystemDriver filesystems;
    private final StaticCloudProvider cloud;
    private final ClaimLog log;

    public LostSlotCleanup(StaticSettings settings, FileSystemDriver filesystems, StaticCloudProvider cloud, ClaimLog log) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.filesystems = Objects.requireNonNull(filesystems, "filesystems");
        this.cloud = Objects.requireNonNull(cloud, "cloud");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Lets go of everything {@code lease} gave this instance; returns what could not be done (empty: all done). */
    public List<String> letGo(SlotLease lease, Path envFile, Runnable stopWorkload, LeaseKeeper keeper) {
        var failed = new ArrayList<String>();
        step(failed, "stop the workload", stopWorkload);
        step(failed, "unmount " + lease.mountPoint(), () -> unmount(lease));
        step(failed, "remove the env file " + envFile, () -> removeEnvFile(lease, envFile));
        step(failed, "let go of volume " + lease.volumeId(), () -> cloud.detachVolume(lease.volumeId()));
        step(failed, "delete the lease " + keeper.key(), keeper::release);
        log.info(failed.isEmpty()
                ? "let go of slot " + lease.slot() + " (epoch " + lease.epoch() + ") after losing it: workload stopped,"
                        + " " + lease.mountPoint() + " unmounted, env file " + envFile + " removed"
                : "let go of slot " + lease.slot() + " after losing it, except: could not " + String.join("; could not ", failed)
                        + ". Do these by hand before anything else uses volume " + lease.volumeId());
        return List.copyOf(failed);
    }

    private void step(List<String> failed, String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            failed.add(what + " (" + e.getMessage() + ")");
        }
    }

    private void unmount(SlotLease lease) {
        var source = filesystems.mountedSource(lease.mountPoint());
        if (source.isEmpty()) {
            return;
        }
        var ours = lease.device().toAbsolutePath().normalize();
        if (!Path.of(source.get()).toAbsolutePath().normalize().equals(ours)) {
            log.info("mount point " + lease.mountPoint() + " now shows " + source.get() + ", not this slot's " + ours
                    + ": left as it is");
            return;
        }
        filesystems.unmount(lease.mountPoint());
    }

    private void removeEnvFile(SlotLease lease, Path envFile) {
        String text;
        try {
            text = Files.readString(envFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        var lines = text.lines().toList();
        if (!lines.contains("BERTH_CLUSTER=" + settings.cluster()) || !lines.contains("BERTH_SLOT=" + lease.slot())
                || !lines.contains("BERTH_EPOCH=" + lease.epoch())
                || !lines.contains("BERTH_INSTANCE_ID=" + settings.instanceId())) {
            log.info("env file " + envFile + " no longer names slot " + lease.slot() + " at epoch " + lease.epoch()
                    + " of this instance: left as it is");
            return;
        }
        try {
            Files.deleteIfExists(envFile);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
