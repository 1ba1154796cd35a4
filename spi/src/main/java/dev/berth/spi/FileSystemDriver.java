package dev.berth.spi;

import java.nio.file.Path;
import java.util.Optional;

/** Makes, mounts and grows filesystems. Every call is idempotent. */
public interface FileSystemDriver {

    /**
     * Makes a filesystem on a device. The driver re-reads the device first and refuses
     * (with a {@link DeviceException}) anything that is not {@link DeviceSignature.Blank}.
     */
    void makeFilesystem(BlockDevice device, FilesystemSpec spec);

    /** Mounts the device; already mounted there is fine, anything else mounted there is an error. */
    MountResult mount(BlockDevice device, MountSpec spec);

    /** Grows the mounted filesystem to the size of its device. */
    GrowResult grow(BlockDevice device, Path mountPoint);

    /** What is mounted at a path, if anything. */
    Optional<String> mountedSource(Path mountPoint);

    /** Unmounts; a no-op when nothing is mounted there. */
    void unmount(Path mountPoint);

    sealed interface MountResult {
        record Mounted(Path mountPoint) implements MountResult {
        }

        record AlreadyMounted(Path mountPoint) implements MountResult {
        }
    }

    sealed interface GrowResult {
        record Grown(long fromBytes, long toBytes) implements GrowResult {
        }

        record AlreadyFull(long sizeBytes) implements GrowResult {
        }
    }
}
