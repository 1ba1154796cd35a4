package dev.berth.fs.linux;

import java.util.Optional;

/** The system tools berth runs, with the Debian package that installs each. */
enum Tool {
    MKFS_EXT2("mkfs.ext2", "e2fsprogs"),
    MKFS_EXT3("mkfs.ext3", "e2fsprogs"),
    MKFS_EXT4("mkfs.ext4", "e2fsprogs"),
    MKFS_XFS("mkfs.xfs", "xfsprogs"),
    MKFS_BTRFS("mkfs.btrfs", "btrfs-progs"),
    RESIZE2FS("resize2fs", "e2fsprogs"),
    XFS_GROWFS("xfs_growfs", "xfsprogs"),
    XFS_INFO("xfs_info", "xfsprogs"),
    BTRFS("btrfs", "btrfs-progs"),
    // Debian ships mount and umount in the "mount" package, built from util-linux.
    MOUNT("mount", "mount (util-linux)"),
    UMOUNT("umount", "mount (util-linux)");

    private final String command;
    private final String debianPackage;

    Tool(String command, String debianPackage) {
        this.command = command;
        this.debianPackage = debianPackage;
    }

    String command() {
        return command;
    }

    String debianPackage() {
        return debianPackage;
    }

    static Optional<Tool> mkfsFor(String filesystemType) {
        return switch (filesystemType) {
            case "ext2" -> Optional.of(MKFS_EXT2);
            case "ext3" -> Optional.of(MKFS_EXT3);
            case "ext4" -> Optional.of(MKFS_EXT4);
            case "xfs" -> Optional.of(MKFS_XFS);
            case "btrfs" -> Optional.of(MKFS_BTRFS);
            default -> Optional.empty();
        };
    }
}
