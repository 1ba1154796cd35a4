package dev.berth.fs.linux;

import dev.berth.spi.BlockDevice;
import dev.berth.spi.BlockDevices;
import dev.berth.spi.DeviceSignature;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a volume's device: first by NVMe serial (Nitro), then by the device name asked for
 * at attach time (Xen's sdX/xvdX twins, loop devices, plain paths). A device found by name
 * that carries another EBS volume's serial (or, for an EBS volume, any other serial, such as
 * an instance-store disk's) is not ours and is never returned.
 */
final class LinuxBlockDevices implements BlockDevices {
    private final SysBlock sys;
    private final NvmeSerialResolver nvme;
    private final XenDeviceNameResolver byName;
    private final DeviceSize size;
    private final SignatureReader signatures = new SignatureReader();

    LinuxBlockDevices(LinuxFsSettings settings) {
        this.sys = new SysBlock(settings.sysRoot());
        this.nvme = new NvmeSerialResolver(sys, settings.devRoot(), settings.byIdDir());
        this.byName = new XenDeviceNameResolver(settings.devRoot());
        this.size = new DeviceSize(sys);
    }

    @Override
    public Optional<BlockDevice> resolve(String volumeId, String requestedDeviceName) {
        var path = nvme.resolve(volumeId)
                .or(() -> byName.resolve(requestedDeviceName).filter(p -> !carriesAnotherVolume(p, volumeId)));
        return path.flatMap(this::describe);
    }

    @Override
    public DeviceSignature probe(BlockDevice device) {
        long current = size.of(device.path());
        return signatures.probe(device.path(), current > 0 ? current : device.sizeBytes());
    }

    private Optional<BlockDevice> describe(Path path) {
        long bytes = size.of(path);
        if (bytes <= 0) {
            return Optional.empty(); // not ready yet (a loop device without backing file, a disk still attaching)
        }
        var name = path.getFileName().toString();
        return Optional.of(new BlockDevice(path, bytes, sys.serial(name)));
    }

    /**
     * A device found by name is not this volume's when its serial names another EBS volume,
     * or, for an EBS volume id, when it has any other serial (an instance-store disk).
     */
    private boolean carriesAnotherVolume(Path path, String volumeId) {
        var ours = NvmeSerialResolver.serialsOf(volumeId);
        var ebsVolume = NvmeSerialResolver.isEbsVolumeId(volumeId);
        return sys.serial(path.getFileName().toString())
                .filter(serial -> !ours.contains(serial))
                .filter(serial -> ebsVolume || NvmeSerialResolver.isEbsSerial(serial))
                .isPresent();
    }
}
