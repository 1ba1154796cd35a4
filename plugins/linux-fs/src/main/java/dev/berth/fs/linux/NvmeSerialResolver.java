package dev.berth.fs.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a volume's NVMe device on a Nitro instance. EBS puts the volume id without its dash
 * ({@code vol0123456789abcdef0}) into the controller's serial, which the kernel shows
 * (space-padded) in {@code <sys>/block/nvme*n*}/device/serial} and udev links as
 * {@code <dev>/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0123...} (the setting {@code byIdDir}). Instance-store
 * disks carry serials such as {@code AWS1234...} and never match a volume id.
 */
final class NvmeSerialResolver {
    static final String EBS_BY_ID_PREFIX = "nvme-Amazon_Elastic_Block_Store_";
    private static final Pattern NVME_NAMESPACE = Pattern.compile("nvme\\d+n\\d+");
    private static final Pattern EBS_VOLUME_ID = Pattern.compile("vol-[0-9a-fA-F]+");

    private final SysBlock sys;
    private final Path devRoot;
    private final Path byIdDir;

    NvmeSerialResolver(SysBlock sys, Path devRoot, Path byIdDir) {
        this.sys = sys;
        this.devRoot = devRoot;
        this.byIdDir = byIdDir;
    }

    /** The serials a device of this volume may carry: "vol0123..." for EBS, and the id itself. */
    static Set<String> serialsOf(String volumeId) {
        var serials = new LinkedHashSet<String>();
        if (EBS_VOLUME_ID.matcher(volumeId).matches()) {
            serials.add("vol" + volumeId.substring(4));
        }
        serials.add(volumeId);
        return serials;
    }

    static boolean isEbsVolumeId(String volumeId) {
        return EBS_VOLUME_ID.matcher(volumeId).matches();
    }

    /** Whether a serial names some EBS volume (any volume, not only ours). */
    static boolean isEbsSerial(String serial) {
        return serial.matches("vol[0-9a-fA-F]+");
    }

    Optional<Path> resolve(String volumeId) {
        var serials = serialsOf(volumeId);
        var bySerial = fromSysSerials(serials);
        if (bySerial.isPresent()) {
            return bySerial;
        }
        return fromByIdLinks(serials);
    }

    private Optional<Path> fromSysSerials(Set<String> serials) {
        if (!Files.isDirectory(sys.blockDir())) {
            return Optional.empty();
        }
        try (Stream<Path> entries = Files.list(sys.blockDir())) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(name -> NVME_NAMESPACE.matcher(name).matches())
                    .sorted()
                    .filter(name -> sys.serial(name).filter(serials::contains).isPresent())
                    .map(devRoot::resolve)
                    .filter(Files::exists)
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Optional<Path> fromByIdLinks(Set<String> serials) {
        for (var serial : serials) {
            var link = byIdDir.resolve(EBS_BY_ID_PREFIX + serial);
            if (Files.exists(link)) {
                try {
                    return Optional.of(link.toRealPath());
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
