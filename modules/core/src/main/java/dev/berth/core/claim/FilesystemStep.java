package dev.berth.core.claim;

import dev.berth.core.slot.SlotEntry;
import dev.berth.spi.BlockDevice;
import dev.berth.spi.DeviceSignature;
import dev.berth.spi.FilesystemSpec;
import dev.berth.spi.MountSpec;
import dev.berth.spi.Volume;
import java.util.Optional;

/**
 * Step 6 of DESIGN.md: find the device by the volume's serial; mkfs only a device that carries no
 * signature at all of a slot that was never formatted; mount; grow to the volume's size.
 */
final class FilesystemStep {

    /** What the device's signature and the slot record say to do before mounting. */
    sealed interface Decision {
        /** A blank device of a never-formatted slot (unless its volume came from a snapshot). */
        record MakeFilesystem() implements Decision {
        }

        /** A filesystem berth can mount; {@code unexpected} when the slot says it was never formatted. */
        record Keep(String type, boolean unexpected) implements Decision {
        }

        /** Data safety: berth stops and formats nothing. */
        record Refuse(String reason) implements Decision {
        }
    }

    private FilesystemStep() {
    }

    /** Decides from the device's signature and the slot record alone; no call. */
    static Decision decide(DeviceSignature signature, boolean formatted, int slot, String volumeId, BlockDevice device) {
        return switch (signature) {
            case DeviceSignature.Blank blank -> formatted
                    ? new Decision.Refuse("slot " + slot + " says its volume " + volumeId + " was formatted, but device "
                    + device.path() + " is blank. This is the wrong disk or its data is gone; berth stops here and"
                    + " formats nothing. Check the volume (berth device probe --volume-id " + volumeId
                    + ") and restore it from a snapshot")
                    : new Decision.MakeFilesystem();
            case DeviceSignature.Recognized found when found.mountable() -> new Decision.Keep(found.type(), !formatted);
            case DeviceSignature.Recognized found -> new Decision.Refuse("device " + device.path() + " of volume " + volumeId
                    + " (slot " + slot + ") holds " + found.type() + ", which berth cannot mount and will never format over;"
                    + " inspect it (berth device probe " + device.path() + ") and clear it by hand if it is unwanted");
            case DeviceSignature.UnknownData data -> new Decision.Refuse("device " + device.path() + " of volume " + volumeId
                    + " (slot " + slot + ") holds data berth does not recognise (first non-zero byte at offset "
                    + data.offset() + "); berth will not format over it: inspect it with berth device probe " + device.path());
        };
    }

    /** Returns the device, mounted and grown. */
    static BlockDevice prepare(ClaimRun run, SlotEntry held, VolumeStep.Attached attached) {
        var context = run.context();
        var volume = run.settings().volume();
        var device = waitForDevice(run, held.slot(), attached);
        var signature = context.devices().probe(device);
        switch (decide(signature, held.record().formatted(), held.slot(), attached.volumeId(), device)) {
            case Decision.Refuse refuse -> throw new ClaimException(ClaimException.Kind.DATA_SAFETY, refuse.reason());
            case Decision.MakeFilesystem make -> {
                refuseToFormatASnapshotsVolume(run, held, attached, device);
                run.log("device " + device.path() + " is blank: making " + volume.filesystem());
                context.filesystems().makeFilesystem(device, new FilesystemSpec(volume.filesystem(),
                        volume.mkfsArguments(), Optional.empty()));
            }
            case Decision.Keep keep -> {
                if (keep.unexpected()) {
                    run.log("device " + device.path() + " already holds " + keep.type()
                            + " (a seed snapshot, or an earlier run): keeping it");
                }
            }
        }
        context.filesystems().mount(device, new MountSpec(volume.mountPoint(), volume.filesystem(), volume.mountOptions()));
        context.filesystems().grow(device, volume.mountPoint());
        return device;
    }

    /** A volume made from a snapshot holds the snapshot's data: one that reads blank is never formatted. */
    private static void refuseToFormatASnapshotsVolume(ClaimRun run, SlotEntry held, VolumeStep.Attached attached,
                                                       BlockDevice device) {
        var intent = held.record().volumeIntent();
        var volumeId = attached.volumeId();
        var source = Optional.ofNullable(intent == null ? null : intent.sourceSnapshotId()).or(() -> run.calls().run(
                "describe volume " + volumeId, () -> run.context().cloud().describeVolume(volumeId)).flatMap(Volume::snapshotId));
        if (source.isPresent()) {
            throw new ClaimException(ClaimException.Kind.DATA_SAFETY, "volume " + volumeId + " of slot " + held.slot()
                    + " was created from snapshot " + source.get() + ", but device " + device.path() + " reads blank."
                    + " berth never makes a filesystem over a snapshot's data; check the snapshot and the device"
                    + " (berth device probe --volume-id " + volumeId + "). If the snapshot is truly empty, make the"
                    + " filesystem yourself (mkfs." + run.settings().volume().filesystem() + " " + device.path() + ") and re-run");
        }
    }

    private static BlockDevice waitForDevice(ClaimRun run, int slot, VolumeStep.Attached attached) {
        var context = run.context();
        return BoundedWait.forThe("a local device for volume " + attached.volumeId() + " of slot " + slot
                        + " (attached as " + attached.deviceName() + ")", context.ticker(), context.log())
                .bound(BoundedWait.Bound.of("waits.deviceSeconds", run.settings().waits().deviceMillis()))
                .backoff(200, 5_000)
                .hint("check lsblk and the NVMe driver, then re-run")
                .until(() -> context.devices().resolve(attached.volumeId(), attached.deviceName())
                        .<BoundedWait.Poll<BlockDevice>>map(BoundedWait.Poll::done)
                        .orElseGet(() -> BoundedWait.Poll.pending("no device with the volume's serial yet")));
    }
}
