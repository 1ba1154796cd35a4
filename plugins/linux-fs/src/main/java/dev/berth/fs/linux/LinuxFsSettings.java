package dev.berth.fs.linux;

import dev.berth.spi.PluginConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The plugin's settings, read once from its {@link PluginConfig}:
 * {@code sysRoot} (/sys), {@code devRoot} (/dev), {@code byIdDir} (where udev links EBS volumes by NVMe serial,
 * {@code <devRoot>/disk/by-id}), {@code mountInfo} (/proc/self/mountinfo),
 * {@code commandTimeoutSeconds} (600), {@code toolPath} (extra directories searched before
 * PATH and the usual sbin/bin directories) and {@code mountUnitDir} (when set, every mount
 * also writes its systemd .mount unit there).
 */
record LinuxFsSettings(
        Path sysRoot,
        Path devRoot,
        Path byIdDir,
        Path mountInfo,
        Duration commandTimeout,
        List<Path> toolPath,
        Optional<Path> mountUnitDir) {

    static final String SYS_ROOT = "sysRoot";
    static final String DEV_ROOT = "devRoot";
    static final String BY_ID_DIR = "byIdDir";
    static final String MOUNT_INFO = "mountInfo";
    static final String COMMAND_TIMEOUT_SECONDS = "commandTimeoutSeconds";
    static final String TOOL_PATH = "toolPath";
    static final String MOUNT_UNIT_DIR = "mountUnitDir";

    private static final List<String> STANDARD_TOOL_DIRS =
            List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    LinuxFsSettings {
        toolPath = List.copyOf(toolPath);
    }

    /** Every key the plugin reads; any other is an error. */
    static final java.util.Set<String> KEYS = java.util.Set.of(SYS_ROOT, DEV_ROOT, BY_ID_DIR, MOUNT_INFO, COMMAND_TIMEOUT_SECONDS,
            TOOL_PATH, MOUNT_UNIT_DIR);

    static LinuxFsSettings from(PluginConfig config) {
        config.requireOnly(KEYS);
        int timeoutSeconds = config.getInt(COMMAND_TIMEOUT_SECONDS, 600);
        if (timeoutSeconds <= 0) {
            throw new dev.berth.spi.ConfigException("setting '" + config.section() + "." + COMMAND_TIMEOUT_SECONDS + "' is "
                    + timeoutSeconds + ": give a positive number of seconds such as 600");
        }
        var devRoot = Path.of(config.get(DEV_ROOT, "/dev"));
        return new LinuxFsSettings(
                Path.of(config.get(SYS_ROOT, "/sys")),
                devRoot,
                config.get(BY_ID_DIR).map(Path::of).orElse(devRoot.resolve("disk/by-id")),
                Path.of(config.get(MOUNT_INFO, "/proc/self/mountinfo")),
                Duration.ofSeconds(timeoutSeconds),
                toolDirectories(config.get(TOOL_PATH)),
                config.get(MOUNT_UNIT_DIR).map(Path::of));
    }

    private static List<Path> toolDirectories(Optional<String> configured) {
        var dirs = new ArrayList<String>();
        configured.ifPresent(value -> dirs.addAll(List.of(value.split(":"))));
        var envPath = System.getenv("PATH");
        if (envPath != null) {
            dirs.addAll(List.of(envPath.split(":")));
        }
        dirs.addAll(STANDARD_TOOL_DIRS);
        return dirs.stream().filter(d -> !d.isBlank()).distinct().map(Path::of).toList();
    }
}
