package dev.berth.fs.linux;

import dev.berth.spi.MountSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The persistent forms of a mount, for an operator who wants the mount back after a reboot
 * without berth: an {@code /etc/fstab} line and a systemd {@code .mount} unit (its file name
 * is the escaped mount point, as {@code systemd-escape --path --suffix=mount} makes it).
 * Both name the filesystem by UUID when it has one, since NVMe device names change.
 */
final class MountUnits {
    private MountUnits() {
    }

    /** "UUID=… /data ext4 noatime,nofail 0 2"; nofail is added so a missing volume never blocks boot. */
    static String fstabLine(MountSpec spec, Path device, Optional<String> uuid) {
        var options = new ArrayList<>(spec.options());
        if (!options.contains("nofail")) {
            options.add("nofail");
        }
        var what = uuid.map(u -> "UUID=" + u).orElse(device.toString());
        int pass = spec.filesystemType().startsWith("ext") ? 2 : 0;
        return String.join(" ", fstabEscape(what), fstabEscape(spec.mountPoint().toString()), spec.filesystemType(),
                String.join(",", options), "0", String.valueOf(pass));
    }

    static String systemdUnitName(Path mountPoint) {
        return escapePath(mountPoint.toAbsolutePath().normalize().toString()) + ".mount";
    }

    /** How long systemd waits for the volume's device at boot before it gives up on the mount (nofail: boot goes on). */
    static final String DEVICE_TIMEOUT = "30s";

    static String systemdUnit(MountSpec spec, Path device, Optional<String> uuid) {
        var what = uuid.map(u -> "/dev/disk/by-uuid/" + u).orElse(device.toString());
        var lines = new ArrayList<>(List.of(
                "# written by berth: the slot volume's mount",
                "[Unit]",
                "Description=berth volume at " + spec.mountPoint(),
                "",
                "[Mount]",
                "What=" + what,
                "Where=" + spec.mountPoint().toAbsolutePath().normalize(),
                "Type=" + spec.filesystemType()));
        // nofail: a volume that is not there (yet) never holds up the boot; the device timeout bounds the wait
        // for it (systemd's default is 90 s, the whole boot's budget on some images)
        var options = new ArrayList<>(spec.options());
        if (!options.contains("nofail")) {
            options.add("nofail");
        }
        if (options.stream().noneMatch(o -> o.startsWith("x-systemd.device-timeout="))) {
            options.add("x-systemd.device-timeout=" + DEVICE_TIMEOUT);
        }
        lines.add("Options=" + String.join(",", options));
        lines.addAll(List.of("", "[Install]", "WantedBy=multi-user.target", ""));
        return String.join("\n", lines);
    }

    /** systemd's path escaping: "/var/lib/my-data" → "var-lib-my\x2ddata", "/" → "-". */
    static String escapePath(String path) {
        var trimmed = path.replaceAll("/+", "/").replaceAll("^/|/$", "");
        if (trimmed.isEmpty()) {
            return "-";
        }
        var out = new StringBuilder();
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c == '/') {
                out.append('-');
            } else if ((Character.isLetterOrDigit(c) && c < 128) || c == ':' || c == '_' || (c == '.' && i > 0)) {
                out.append(c);
            } else {
                for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    out.append(String.format("\\x%02x", b & 0xff));
                }
            }
        }
        return out.toString();
    }

    private static String fstabEscape(String field) {
        return field.replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011");
    }
}
