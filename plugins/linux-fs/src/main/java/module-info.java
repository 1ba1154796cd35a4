/**
 * Linux block devices and filesystems for berth: finds the local device of an attached
 * volume (NVMe serial on Nitro, sdX/xvdX names on Xen, plain paths and loop devices
 * elsewhere), reads its signatures, and makes, mounts and grows filesystems through the
 * system tools. Exports nothing: the core reaches it only through the SPI services below.
 */
module dev.berth.fs.linux {
    requires dev.berth.spi;

    provides dev.berth.spi.BlockDevicesFactory with dev.berth.fs.linux.LinuxBlockDevicesFactory;
    provides dev.berth.spi.FileSystemDriverFactory with dev.berth.fs.linux.LinuxFileSystemDriverFactory;
}
