package dev.berth.fs.linux;

import dev.berth.spi.DeviceException;
import dev.berth.spi.DeviceSignature.Recognized;
import dev.berth.spi.FileSystemDriver.GrowResult;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Grows a mounted filesystem to its device when the device is larger by more than
 * {@link #SLACK_BYTES}: resize2fs for ext2/3/4, xfs_growfs for XFS, btrfs filesystem resize
 * for btrfs. Sizes are compared before anything runs, so a second run changes nothing.
 */
final class FilesystemGrower {
    /** Less than this between filesystem and device is "full" (alignment leaves a little). */
    static final long SLACK_BYTES = 1 << 20;
    private static final Pattern XFS_INFO_DATA =
            Pattern.compile("^data\\s+=\\s*bsize=(\\d+)\\s+blocks=(\\d+)", Pattern.MULTILINE);

    private final SignatureReader signatures;
    private final ToolLocator tools;
    private final CommandRunner runner;

    FilesystemGrower(SignatureReader signatures, ToolLocator tools, CommandRunner runner) {
        this.signatures = signatures;
        this.tools = tools;
        this.runner = runner;
    }

    GrowResult grow(Path device, long deviceBytes, Path mountPoint, String filesystemType) {
        long before = filesystemSize(device, deviceBytes, mountPoint, filesystemType);
        if (deviceBytes - before < SLACK_BYTES) {
            return new GrowResult.AlreadyFull(before);
        }
        var purpose = "grow the " + filesystemType + " filesystem on " + device + " (mounted at " + mountPoint
                + ") from " + before + " to " + deviceBytes + " bytes";
        try {
            runner.run(growCommand(device, mountPoint, filesystemType, purpose), purpose);
        } catch (DeviceException e) {
            if (filesystemType.startsWith("ext") && e.getMessage().contains("Permission denied")) {
                throw new DeviceException(e.getMessage() + "; online ext4 resize needs the CAP_SYS_RESOURCE"
                        + " capability: run berth as root without a CapabilityBoundingSet that drops it", e);
            }
            throw e;
        }
        long after = filesystemSize(device, deviceBytes, mountPoint, filesystemType);
        return after > before ? new GrowResult.Grown(before, after) : new GrowResult.AlreadyFull(after);
    }

    private List<String> growCommand(Path device, Path mountPoint, String type, String purpose) {
        if (type.startsWith("ext")) {
            return List.of(tools.require(Tool.RESIZE2FS, purpose).toString(), device.toString());
        }
        return switch (type) {
            case "xfs" -> List.of(tools.require(Tool.XFS_GROWFS, purpose).toString(), "-d", mountPoint.toString());
            case "btrfs" -> List.of(tools.require(Tool.BTRFS, purpose).toString(), "filesystem", "resize", "max",
                    mountPoint.toString());
            default -> throw new DeviceException("cannot grow the " + type + " filesystem on " + device
                    + ": berth grows ext2/3/4, xfs and btrfs; grow it by hand");
        };
    }

    /** XFS keeps its live superblock in memory, so ask xfs_info; ext and btrfs are read from the device. */
    long filesystemSize(Path device, long deviceBytes, Path mountPoint, String type) {
        if (type.equals("xfs") && tools.find(Tool.XFS_INFO).isPresent()) {
            var info = runner.run(List.of(tools.find(Tool.XFS_INFO).orElseThrow().toString(), mountPoint.toString()),
                    "read the size of the xfs filesystem at " + mountPoint);
            var size = parseXfsInfo(info.stdout());
            if (size.isPresent()) {
                return size.getAsLong();
            }
        }
        if (signatures.probe(device, deviceBytes) instanceof Recognized r && r.filesystemSizeBytes().isPresent()) {
            return r.filesystemSizeBytes().getAsLong();
        }
        throw new DeviceException("cannot tell the size of the " + type + " filesystem on " + device
                + ": its superblock was not readable; check it with blkid " + device);
    }

    static OptionalLong parseXfsInfo(String text) {
        var m = XFS_INFO_DATA.matcher(text);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1)) * Long.parseLong(m.group(2))) : OptionalLong.empty();
    }
}
