package dev.berth.aws;

import dev.berth.statics.StaticBlockDevices;
import dev.berth.spi.BlockDevice;
import dev.berth.spi.BlockDevices;
import dev.berth.spi.DeviceException;
import dev.berth.spi.DeviceSignature;
import dev.berth.spi.FileSystemDriver;
import dev.berth.spi.FilesystemSpec;
import dev.berth.spi.MountSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Test-only devices for the end-to-end test: EBS stands in as a shared directory root, and a
 * volume's "disk" is {@code <root>/<volumeId>}, so its content follows the volume id from one
 * simulated instance to the next. A volume's directory appears (empty, like a new EBS volume) the
 * first time an instance resolves it after attaching; probe, mkfs, mount (a symbolic link), grow
 * and unmount are {@link StaticBlockDevices}'.
 */
final class EbsDirectories implements BlockDevices, FileSystemDriver {
    private final Path root;
    private final StaticBlockDevices delegate = new StaticBlockDevices();

    EbsDirectories(Path root) {
        this.root = root;
    }

    Path diskOf(String volumeId) {
        return root.resolve(volumeId);
    }

    /** A snapshot holds its volume's disk as it is now (EBS snapshots are point in time). */
    void snapshotted(String snapshotId, String volumeId) {
        copy(diskOf(volumeId), root.resolve("snapshots").resolve(snapshotId));
    }

    /** A volume created from a snapshot starts with what the snapshot holds. */
    void createdFrom(String volumeId, String snapshotId) {
        copy(root.resolve("snapshots").resolve(snapshotId), diskOf(volumeId));
    }

    private static void copy(Path from, Path to) {
        try (var tree = Files.walk(from)) {
            for (var source : tree.toList()) {
                var target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<BlockDevice> resolve(String volumeId, String requestedDeviceName) {
        if (requestedDeviceName == null || !requestedDeviceName.startsWith("/dev/")) {
            throw new DeviceException("volume " + volumeId + " came with device name '" + requestedDeviceName
                    + "', not an EC2 device name");
        }
        var disk = diskOf(volumeId);
        try {
            Files.createDirectories(disk);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return delegate.resolve(volumeId, disk.toAbsolutePath().toString());
    }

    @Override
    public DeviceSignature probe(BlockDevice device) {
        return delegate.probe(device);
    }

    @Override
    public void makeFilesystem(BlockDevice device, FilesystemSpec spec) {
        delegate.makeFilesystem(device, spec);
    }

    @Override
    public MountResult mount(BlockDevice device, MountSpec spec) {
        return delegate.mount(device, spec);
    }

    @Override
    public GrowResult grow(BlockDevice device, Path mountPoint) {
        return delegate.grow(device, mountPoint);
    }

    @Override
    public Optional<String> mountedSource(Path mountPoint) {
        return delegate.mountedSource(mountPoint);
    }

    @Override
    public void unmount(Path mountPoint) {
        delegate.unmount(mountPoint);
    }
}
