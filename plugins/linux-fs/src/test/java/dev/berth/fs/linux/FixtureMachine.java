package dev.berth.fs.linux;

import dev.berth.spi.PluginConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A fake /sys and /dev under a temp dir, shaped like a real instance's. */
final class FixtureMachine {
    final Path sys;
    final Path dev;

    FixtureMachine(Path root) {
        this.sys = root.resolve("sys");
        this.dev = root.resolve("dev");
        mkdirs(sys.resolve("block"));
        mkdirs(dev.resolve("disk/by-id"));
    }

    /**
     * A Nitro instance (m6i): root EBS nvme0n1, instance store nvme1n1, and two data EBS
     * volumes nvme2n1 and nvme3n1, with serials padded as the kernel shows them.
     */
    static FixtureMachine nitro(Path root) {
        var machine = new FixtureMachine(root);
        machine.disk("nvme0n1", 8L << 30, "vol0aaaaaaaaaaaaaaaa", "Amazon Elastic Block Store");
        machine.disk("nvme1n1", 237L << 30, "AWS12345678901234567", "Amazon EC2 NVMe Instance Storage");
        machine.disk("nvme2n1", 100L << 30, "vol0bbbbbbbbbbbbbbbb", "Amazon Elastic Block Store");
        machine.disk("nvme3n1", 200L << 30, "vol0cccccccccccccccc", "Amazon Elastic Block Store");
        machine.byIdLink("nvme-Amazon_Elastic_Block_Store_vol0aaaaaaaaaaaaaaaa", "nvme0n1");
        machine.byIdLink("nvme-Amazon_EC2_NVMe_Instance_Storage_AWS12345678901234567", "nvme1n1");
        machine.byIdLink("nvme-Amazon_Elastic_Block_Store_vol0bbbbbbbbbbbbbbbb", "nvme2n1");
        machine.byIdLink("nvme-Amazon_Elastic_Block_Store_vol0cccccccccccccccc", "nvme3n1");
        return machine;
    }

    /** A Xen instance (m4): root xvda and one data volume attached as /dev/sdf, seen as xvdf. */
    static FixtureMachine xen(Path root) {
        var machine = new FixtureMachine(root);
        machine.disk("xvda", 8L << 30, null, null);
        machine.disk("xvdf", 50L << 30, null, null);
        return machine;
    }

    FixtureMachine disk(String name, long sizeBytes, String serial, String model) {
        var dir = sys.resolve("block").resolve(name);
        write(dir.resolve("size"), (sizeBytes / 512) + "\n");
        write(dir.resolve("dev"), "259:" + Math.abs(name.hashCode() % 100) + "\n");
        if (serial != null) {
            // the kernel pads NVMe serials (20 bytes) and models (40 bytes) with spaces
            write(dir.resolve("device/serial"), String.format("%-20s%n", serial));
        }
        if (model != null) {
            write(dir.resolve("device/model"), String.format("%-40s%n", model));
        }
        write(dev.resolve(name), "");
        return this;
    }

    FixtureMachine byIdLink(String linkName, String target) {
        try {
            Files.createSymbolicLink(dev.resolve("disk/by-id").resolve(linkName), Path.of("../..", target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A udev-style link directly under /dev ("sdf" -> "nvme3n1"). */
    FixtureMachine devLink(String linkName, String target) {
        try {
            Files.createSymbolicLink(dev.resolve(linkName), Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    FixtureMachine removeSerial(String name) {
        try {
            Files.delete(sys.resolve("block").resolve(name).resolve("device/serial"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    PluginConfig config() {
        return new PluginConfig("devices", Map.of("sysRoot", sys.toString(), "devRoot", dev.toString()));
    }

    Path device(String name) {
        try {
            return dev.resolve(name).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
