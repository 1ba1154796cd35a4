package dev.berth.fs.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A device's current size: from {@code <sys>/class/block/<name>/size} (512-byte sectors),
 * else the length of a regular file (a disk image), else what the device reports when read.
 * Read fresh every time: a volume grows under a running instance.
 */
final class DeviceSize {
    private final SysBlock sys;

    DeviceSize(SysBlock sys) {
        this.sys = sys;
    }

    long of(Path device) {
        var fromSys = sys.sizeBytes(device.getFileName().toString());
        if (fromSys.isPresent()) {
            return fromSys.getAsLong();
        }
        try {
            if (Files.isRegularFile(device)) {
                return Files.size(device);
            }
        } catch (IOException e) {
            return 0;
        }
        try (var bytes = DeviceBytes.open(device)) {
            return bytes.channelSize();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
