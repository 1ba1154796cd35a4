package dev.berth.cli;

import dev.berth.core.plugin.Plugins;
import dev.berth.spi.BerthException;
import dev.berth.spi.BlockDevicesFactory;
import dev.berth.spi.DeviceSignature;
import dev.berth.spi.PluginConfig;
import io.avaje.jsonb.Json;
import io.avaje.jsonb.Jsonb;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth device probe}: a read-only look at what berth sees on a device, before anything is written. */
@Singleton
@Command(name = "device", mixinStandardHelpOptions = true, description = "Block device tools.",
        subcommands = DeviceCommand.Probe.class)
final class DeviceCommand {

    @Singleton
    @Command(name = "probe", mixinStandardHelpOptions = true,
            description = {"Show a device, its signature, and what berth claim would do.",
                    "The device berth resolves (by path, or by EBS volume id through its NVMe serial or Xen name), its size,"
                            + " the signature found (or blank), the filesystem size, and what berth claim would do with it."
                            + " Reads only; never writes."})
    static final class Probe implements Callable<Integer> {

        @Parameters(arity = "0..1", paramLabel = "DEVICE", description = "A device path (/dev/nvme1n1, /dev/loop3, an image file).")
        String device;

        @Option(names = "--volume-id", description = "Find the device of this EBS volume (vol-...) instead.")
        String volumeId;

        @Option(names = "--provider", defaultValue = "linux", description = "The block device provider. Default: ${DEFAULT-VALUE}.")
        String provider;

        @Option(names = "--plugins", description = "The plugin folder (default: the image's plugins/).")
        Path plugins;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        private final Console console;
        private final BerthHome home;
        private final Jsonb jsonb;

        Probe(Console console, BerthHome home, Jsonb jsonb) {
            this.console = console;
            this.home = home;
            this.jsonb = jsonb;
        }

        @Override
        public Integer call() {
            if ((device == null) == (volumeId == null)) {
                throw new UsageException("give a DEVICE path or --volume-id vol-..., one of the two");
            }
            if (volumeId != null && !VOLUME_ID.matcher(volumeId).matches()) {
                throw new UsageException("--volume-id '" + volumeId + "' is not an EBS volume id: write it as vol-"
                        + " followed by 8 or 17 hex digits (for example vol-0123456789abcdef0)");
            }
            var path = device == null ? null : devicePath(device, Path.of("").toAbsolutePath());
            dev.berth.spi.BlockDevices devices;
            try {
                devices = Plugins.load(plugins != null ? plugins : home.plugins())
                        .require(BlockDevicesFactory.class, BlockDevicesFactory::name, provider, "block device provider")
                        .create(PluginConfig.empty("devices.settings"));
            } catch (BerthException e) {
                throw new UsageException(e.getMessage());
            }
            var found = volumeId != null ? devices.resolve(volumeId, "") : devices.resolve("", path);
            if (found.isEmpty()) {
                console.err().println("berth device probe: " + (volumeId != null ? "no local device for volume " + volumeId
                        + ": is it attached to this instance? (lsblk, /dev/disk/by-id)" : device
                        + " is not a block device or file berth can read: check the path"));
                return ExitCodes.FAILED;
            }
            var blockDevice = found.get();
            var signature = devices.probe(blockDevice);
            var filesystemSize = signature instanceof DeviceSignature.Recognized r && r.filesystemSizeBytes().isPresent()
                    ? r.filesystemSizeBytes().getAsLong() : null;
            var result = new ProbeResult(blockDevice.path().toString(), blockDevice.sizeBytes(),
                    signature instanceof DeviceSignature.Blank,
                    signature instanceof DeviceSignature.Blank ? null : signature.name(), filesystemSize,
                    blockDevice.serial().orElse(null), wouldDo(signature));
            if (json) {
                console.out().println(jsonb.toJson(result));
            } else {
                console.out().printf("device      %s%nsize        %d bytes%nserial      %s%nsignature   %s%n"
                                + "filesystem  %s%nberth claim %s%n", result.device(), result.sizeBytes(),
                        result.serial() == null ? "-" : result.serial(), result.blank() ? "blank (all zero where berth looked)"
                                : result.signature(), filesystemSize == null ? "-" : filesystemSize + " bytes", result.claimWould());
            }
            return ExitCodes.OK;
        }

        private static final java.util.regex.Pattern VOLUME_ID = java.util.regex.Pattern.compile("vol-[0-9a-f]{8}([0-9a-f]{9})?");

        /**
         * A device as the user typed it, made absolute against {@code cwd} when it names a file there
         * ({@code ./f.img}, {@code images/f.img}); a bare name such as {@code nvme1n1} or {@code sdf}
         * that is no file here stays a name under /dev.
         */
        static String devicePath(String given, Path cwd) {
            var asPath = Path.of(given);
            if (asPath.isAbsolute()) {
                return given;
            }
            var here = cwd.resolve(asPath).normalize();
            return java.nio.file.Files.exists(here) || given.startsWith("./") || given.startsWith("../")
                    ? here.toString() : given;
        }

        private static String wouldDo(DeviceSignature signature) {
            return switch (signature) {
                case DeviceSignature.Blank b -> "would make a filesystem, but only if the slot says it was never formatted"
                        + " (a formatted slot on a blank device stops everything)";
                case DeviceSignature.Recognized r when r.mountable() -> "would mount this " + r.type()
                        + " filesystem and grow it; never format it";
                case DeviceSignature.Recognized r -> "would stop: " + r.type() + " is not a filesystem berth mounts, and"
                        + " berth never formats over it";
                case DeviceSignature.UnknownData u -> "would stop: unknown data at offset " + u.offset()
                        + "; berth never formats over data";
            };
        }
    }

    /** What {@code berth device probe --json} prints. */
    @Json
    record ProbeResult(String device, long sizeBytes, boolean blank, String signature, Long filesystemSizeBytes,
                       String serial, String claimWould) {
    }
}
