package dev.berth.statics;

import dev.berth.spi.BlockDevice;
import dev.berth.spi.BlockDevices;
import dev.berth.spi.DeviceException;
import dev.berth.spi.DeviceSignature;
import dev.berth.spi.FileSystemDriver;
import dev.berth.spi.FilesystemSpec;
import dev.berth.spi.MountSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Directory volumes as devices: the "device" of a volume is its directory, "formatted" means
 * the directory carries the marker file {@value #FORMATTED_MARKER} (or any other content: berth
 * never formats over data), and "mounted" means the mount point is a symbolic link to the
 * directory. Nothing here needs root.
 */
public final class StaticBlockDevices implements BlockDevices, FileSystemDriver {
    /** The file that {@link #makeFilesystem} writes into an empty directory. */
    public static final String FORMATTED_MARKER = ".berth-formatted";
    static final String TYPE = "dir";

    public StaticBlockDevices() {
    }

    @Override
    public Optional<BlockDevice> resolve(String volumeId, String requestedDeviceName) {
        if (requestedDeviceName == null || requestedDeviceName.isBlank()) {
            return Optional.empty();
        }
        var dir = Path.of(requestedDeviceName);
        if (!dir.isAbsolute() || dir.getFileName() == null || !dir.getFileName().toString().equals(volumeId)) {
            throw new DeviceException("device name '" + requestedDeviceName + "' of volume " + volumeId + " is not the"
                    + " absolute path of a directory named after the volume: the static provider's attach gives"
                    + " <data-root>/" + volumeId + "; use the static block devices only with the static provider");
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(new BlockDevice(dir, usableBytes(dir), Optional.of(volumeId)));
    }

    @Override
    public DeviceSignature probe(BlockDevice device) {
        var dir = requireDirectory(device);
        try (var entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) {
                return new DeviceSignature.Blank();
            }
        } catch (IOException e) {
            throw new DeviceException("could not list directory " + dir + " (" + e + "): check its permissions", e);
        }
        return new DeviceSignature.Recognized(TYPE, true, Optional.empty(), OptionalLong.empty());
    }

    @Override
    public void makeFilesystem(BlockDevice device, FilesystemSpec spec) {
        var dir = requireDirectory(device);
        if (!(probe(device) instanceof DeviceSignature.Blank)) {
            var what = Files.exists(dir.resolve(FORMATTED_MARKER)) ? "is already formatted (it holds " + FORMATTED_MARKER + ")"
                    : "is not empty";
            throw new DeviceException("directory " + dir + " " + what + ": berth formats only empty directories and"
                    + " never over data; use it as it is, or empty it by hand if its content is unwanted");
        }
        var marker = dir.resolve(FORMATTED_MARKER);
        var text = "berth directory volume\nrequested-type=" + spec.type() + "\n"
                + spec.label().map(l -> "label=" + l + "\n").orElse("");
        try {
            Files.writeString(marker, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC);
        } catch (FileAlreadyExistsException e) {
            throw new DeviceException("directory " + dir + " was formatted by someone else while berth formatted it;"
                    + " re-run to use it as it is", e);
        } catch (IOException e) {
            throw new DeviceException("could not write " + marker + " (" + e + "): check that the directory is writable", e);
        }
    }

    @Override
    public MountResult mount(BlockDevice device, MountSpec spec) {
        var dir = requireDirectory(device).toAbsolutePath().normalize();
        var mountPoint = spec.mountPoint().toAbsolutePath().normalize();
        for (int attempt = 0; ; attempt++) {
            if (Files.isSymbolicLink(mountPoint)) {
                var target = readLink(mountPoint);
                if (target.equals(dir)) {
                    return new MountResult.AlreadyMounted(mountPoint);
                }
                throw new DeviceException("mount point " + mountPoint + " is a link to " + target + ", not to " + dir
                        + ": another volume is mounted there; stop the berth claim that holds that slot on this host"
                        + " (systemctl stop, a clean release), or remove the link by hand if it is stale");
            }
            if (Files.exists(mountPoint, LinkOption.NOFOLLOW_LINKS)) {
                throw new DeviceException("mount point " + mountPoint + " exists and is "
                        + (Files.isDirectory(mountPoint, LinkOption.NOFOLLOW_LINKS) ? "a directory" : "a file")
                        + ", not berth's link to " + dir + ": the static provider mounts by making " + mountPoint
                        + " a symbolic link; move it away (rmdir it if it is empty) and re-run");
            }
            try {
                if (mountPoint.getParent() != null) {
                    Files.createDirectories(mountPoint.getParent());
                }
                Files.createSymbolicLink(mountPoint, dir);
                return new MountResult.Mounted(mountPoint);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 0) {
                    throw new DeviceException("mount point " + mountPoint + " keeps changing while berth mounts "
                            + dir + ": another process is using it; stop it and re-run", e);
                }
                // someone made it between our check and our link: look again
            } catch (IOException e) {
                throw new DeviceException("could not link mount point " + mountPoint + " to " + dir + " (" + e
                        + "): check that berth may write in " + mountPoint.getParent(), e);
            }
        }
    }

    @Override
    public GrowResult grow(BlockDevice device, Path mountPoint) {
        return new GrowResult.AlreadyFull(device.sizeBytes());
    }

    @Override
    public Optional<String> mountedSource(Path mountPoint) {
        var path = mountPoint.toAbsolutePath().normalize();
        return Files.isSymbolicLink(path) ? Optional.of(readLink(path).toString()) : Optional.empty();
    }

    @Override
    public void unmount(Path mountPoint) {
        var path = mountPoint.toAbsolutePath().normalize();
        if (!Files.isSymbolicLink(path)) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new DeviceException("could not remove the link at mount point " + path + " (" + e
                    + "): check that berth may write in " + path.getParent(), e);
        }
    }

    private static Path requireDirectory(BlockDevice device) {
        var dir = device.path();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new DeviceException("directory volume " + dir + device.serial().map(s -> " (volume " + s + ")").orElse("")
                    + " does not exist or is not a directory: check the static provider's data root, then re-run");
        }
        return dir;
    }

    private static Path readLink(Path link) {
        try {
            var target = Files.readSymbolicLink(link);
            return (link.getParent() == null ? target : link.getParent().resolve(target)).toAbsolutePath().normalize();
        } catch (IOException e) {
            throw new DeviceException("could not read the link at " + link + " (" + e + "): check its permissions", e);
        }
    }

    private static long usableBytes(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw new DeviceException("could not read the free space of " + dir + " (" + e + "): check the disk", e);
        }
    }
}
