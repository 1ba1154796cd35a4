package dev.berth.fs.linux;

import dev.berth.spi.DeviceException;
import dev.berth.spi.FilesystemSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line that makes a filesystem: {@code mkfs.<type> [-L label] [arguments...] device}. */
final class MkfsCommand {
    private MkfsCommand() {
    }

    static Tool toolFor(FilesystemSpec spec, Path device) {
        return Tool.mkfsFor(spec.type()).orElseThrow(() -> new DeviceException("cannot make a '" + spec.type()
                + "' filesystem on " + device + ": berth makes ext2, ext3, ext4, xfs and btrfs; set the"
                + " filesystem type to one of those"));
    }

    static List<String> commandLine(Path mkfs, FilesystemSpec spec, Path device) {
        var command = new ArrayList<String>();
        command.add(mkfs.toString());
        spec.label().filter(l -> !l.isBlank()).ifPresent(label -> {
            command.add("-L");
            command.add(label);
        });
        command.addAll(spec.mkfsArguments());
        command.add(device.toString());
        return List.copyOf(command);
    }
}
