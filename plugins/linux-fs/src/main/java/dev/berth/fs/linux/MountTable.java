package dev.berth.fs.linux;

import dev.berth.spi.DeviceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kernel's mount table as {@code /proc/self/mountinfo} shows it (the path is a setting,
 * so tests can give their own). The last entry for a mount point is the one on top.
 */
final class MountTable {
    /** One mountinfo line: major:minor of the mounted filesystem, where, which type, from what. */
    record Entry(String majorMinor, Path mountPoint, String filesystemType, String source) {
    }

    private final Path mountInfo;

    MountTable(Path mountInfo) {
        this.mountInfo = mountInfo;
    }

    Optional<Entry> at(Path mountPoint) {
        var wanted = normalize(mountPoint);
        Entry top = null;
        for (var entry : entries()) {
            if (entry.mountPoint().equals(wanted)) {
                top = entry;
            }
        }
        return Optional.ofNullable(top);
    }

    List<Entry> entries() {
        List<String> lines;
        try {
            lines = Files.readAllLines(mountInfo);
        } catch (IOException e) {
            throw new DeviceException("cannot read the mount table " + mountInfo + ": " + e.getMessage()
                    + "; check that /proc is mounted (or the plugin's 'mountInfo' setting)", e);
        }
        var entries = new ArrayList<Entry>();
        for (var line : lines) {
            parse(line).ifPresent(entries::add);
        }
        return entries;
    }

    /** "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue" */
    static Optional<Entry> parse(String line) {
        var fields = line.trim().split(" ");
        int separator = List.of(fields).indexOf("-");
        if (fields.length < 5 || separator < 6 || fields.length < separator + 3) {
            return Optional.empty();
        }
        return Optional.of(new Entry(fields[2], Path.of(unescape(fields[4])), unescape(fields[separator + 1]),
                unescape(fields[separator + 2])));
    }

    /** The kernel writes space, tab, newline and backslash as octal escapes ("\040"). */
    static String unescape(String field) {
        var out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String text, int from) {
        if (from + 3 > text.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }

    /** Mountinfo shows canonical paths; resolve symlinks where the path exists. */
    static Path normalize(Path path) {
        var absolute = path.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath();
        } catch (IOException e) {
            return absolute;
        }
    }
}
