package dev.berth.fs.linux;

import dev.berth.spi.DeviceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Read-only random access to a device or image file. Reads past the end come back as
 * zeros, so that a short file simply has no signature there.
 */
final class DeviceBytes implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;

    private DeviceBytes(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    static DeviceBytes open(Path path) {
        try {
            return new DeviceBytes(path, FileChannel.open(path, StandardOpenOption.READ));
        } catch (IOException e) {
            throw new DeviceException("cannot open " + path + " for reading: " + e
                    + "; check that the device exists and that berth runs as root", e);
        }
    }

    /** The size the channel reports (0 for some block devices: prefer /sys). */
    long channelSize() {
        try {
            return channel.size();
        } catch (IOException e) {
            return 0;
        }
    }

    byte[] read(long offset, int length) {
        var buffer = ByteBuffer.allocate(length);
        try {
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, offset + buffer.position());
                if (n < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new DeviceException("cannot read " + length + " bytes at offset " + offset + " of " + path + ": "
                    + e + "; check the device's health (dmesg) before anything is written to it", e);
        }
        return buffer.array();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
    }
}
