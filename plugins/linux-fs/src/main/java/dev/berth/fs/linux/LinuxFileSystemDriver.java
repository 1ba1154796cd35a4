package dev.berth.fs.linux;

import dev.berth.spi.BlockDevice;
import dev.berth.spi.DeviceException;
import dev.berth.spi.DeviceSignature;
import dev.berth.spi.DeviceSignature.Blank;
import dev.berth.spi.DeviceSignature.Recognized;
import dev.berth.spi.DeviceSignature.UnknownData;
import dev.berth.spi.FileSystemDriver;
import dev.berth.spi.FilesystemSpec;
import dev.berth.spi.MountSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;

/**
 * Makes (only on blank devices), mounts, grows and unmounts filesystems with the system
 * tools. Every step first looks at the device and the mount table, so re-running it on a
 * mounted, grown filesystem changes nothing.
 */
final class LinuxFileSystemDriver implements FileSystemDriver {
    private final LinuxFsSettings settings;
    private final SysBlock sys;
    private final DeviceSize size;
    private final SignatureReader signatures = new SignatureReader();
    private final ToolLocator tools;
    private final CommandRunner runner;
    private final MountTable mounts;
    private final FilesystemGrower grower;

    LinuxFileSystemDriver(LinuxFsSettings settings) {
        this.settings = settings;
        this.sys = new SysBlock(settings.sysRoot());
        this.size = new DeviceSize(sys);
        this.tools = new ToolLocator(settings.toolPath());
        this.runner = new CommandRunner(settings.commandTimeout());
        this.mounts = new MountTable(settings.mountInfo());
        this.grower = new FilesystemGrower(signatures, tools, runner);
    }

    @Override
    public void makeFilesystem(BlockDevice device, FilesystemSpec spec) {
        var path = device.path();
        var found = signatures.probe(path, currentSize(device));
        if (!(found instanceof Blank)) {
            throw new DeviceException("refusing to make a " + spec.type() + " filesystem on " + path
                    + ": the device is not blank, it holds " + describe(found) + ". berth formats only devices"
                    + " that are all zeros in their first and last MiB. Check that " + path + " is the volume you"
                    + " meant (lsblk -o NAME,SERIAL,FSTYPE; blkid " + path + ") and mount it instead; wipe it"
                    + " yourself (wipefs -a) only if its data is truly disposable");
        }
        mountedAnywhere(device).ifPresent(entry -> {
            throw new DeviceException("refusing to make a filesystem on " + path + ": it is mounted at "
                    + entry.mountPoint() + "; unmount it first if you really mean to format it");
        });
        var purpose = "make a " + spec.type() + " filesystem on " + path;
        var tool = MkfsCommand.toolFor(spec, path);
        runner.run(MkfsCommand.commandLine(tools.require(tool, purpose), spec, path), purpose);
        var made = signatures.probe(path, currentSize(device));
        if (!(made instanceof Recognized r) || !r.type().equals(spec.type())) {
            throw new DeviceException(tool.command() + " reported success on " + path + " but the device now holds "
                    + describe(made) + " instead of " + spec.type() + "; check the mkfs arguments "
                    + spec.mkfsArguments() + " and the device (dmesg)");
        }
    }

    @Override
    public MountResult mount(BlockDevice device, MountSpec spec) {
        var path = device.path();
        var mountPoint = spec.mountPoint();
        var current = mounts.at(mountPoint);
        if (current.isPresent()) {
            var entry = current.get();
            if (isDevice(entry, path)) {
                writeMountUnit(device, spec);
                return new MountResult.AlreadyMounted(mountPoint);
            }
            throw new DeviceException("cannot mount " + path + " at " + mountPoint + ": " + entry.source() + " ("
                    + entry.filesystemType() + ") is already mounted there; unmount it (umount " + mountPoint
                    + ") or choose another mount point");
        }
        mountedAnywhere(device).ifPresent(entry -> {
            throw new DeviceException("cannot mount " + path + " at " + mountPoint + ": it is already mounted at "
                    + entry.mountPoint() + "; unmount it there (umount " + entry.mountPoint()
                    + ") or set the mount point to " + entry.mountPoint());
        });
        try {
            Files.createDirectories(mountPoint);
        } catch (IOException e) {
            throw new DeviceException("cannot create the mount point " + mountPoint + ": " + e.getMessage(), e);
        }
        var purpose = "mount " + path + " at " + mountPoint;
        var command = new ArrayList<String>();
        command.add(tools.require(Tool.MOUNT, purpose).toString());
        command.addAll(java.util.List.of("-t", spec.filesystemType()));
        if (!spec.options().isEmpty()) {
            command.add("-o");
            command.add(String.join(",", spec.options()));
        }
        command.add(path.toString());
        command.add(mountPoint.toString());
        runner.run(command, purpose);
        writeMountUnit(device, spec);
        return new MountResult.Mounted(mountPoint);
    }

    @Override
    public GrowResult grow(BlockDevice device, Path mountPoint) {
        var entry = mounts.at(mountPoint).orElseThrow(() -> new DeviceException("cannot grow the filesystem of "
                + device.path() + ": nothing is mounted at " + mountPoint + "; mount it first"));
        if (!isDevice(entry, device.path())) {
            throw new DeviceException("cannot grow the filesystem of " + device.path() + " at " + mountPoint + ": "
                    + entry.source() + " is mounted there instead; check the mount point");
        }
        return grower.grow(device.path(), currentSize(device), mountPoint, entry.filesystemType());
    }

    @Override
    public Optional<String> mountedSource(Path mountPoint) {
        return mounts.at(mountPoint).map(MountTable.Entry::source);
    }

    @Override
    public void unmount(Path mountPoint) {
        if (mounts.at(mountPoint).isEmpty()) {
            return;
        }
        var purpose = "unmount " + mountPoint;
        runner.run(java.util.List.of(tools.require(Tool.UMOUNT, purpose).toString(), mountPoint.toString()), purpose);
    }

    private long currentSize(BlockDevice device) {
        long current = size.of(device.path());
        return current > 0 ? current : device.sizeBytes();
    }

    private Optional<MountTable.Entry> mountedAnywhere(BlockDevice device) {
        return mounts.entries().stream().filter(e -> isDevice(e, device.path())).findFirst();
    }

    /** The same device by canonical path, or by major:minor (what mountinfo names for ext and xfs). */
    private boolean isDevice(MountTable.Entry entry, Path device) {
        var canonical = MountTable.normalize(device);
        if (entry.source().startsWith("/") && MountTable.normalize(Path.of(entry.source())).equals(canonical)) {
            return true;
        }
        return sys.majorMinor(canonical.getFileName().toString()).filter(entry.majorMinor()::equals).isPresent();
    }

    private void writeMountUnit(BlockDevice device, MountSpec spec) {
        if (settings.mountUnitDir().isEmpty()) {
            return;
        }
        var uuid = signatures.probe(device.path(), currentSize(device)) instanceof Recognized r ? r.uuid() : Optional.<String>empty();
        var unit = settings.mountUnitDir().get().resolve(MountUnits.systemdUnitName(spec.mountPoint()));
        var text = MountUnits.systemdUnit(spec, device.path(), uuid);
        try {
            if (!Files.exists(unit) || !Files.readString(unit, StandardCharsets.UTF_8).equals(text)) {
                Files.createDirectories(unit.getParent());
                Files.writeString(unit, text, StandardCharsets.UTF_8);
                reloadSystemd(unit);
            }
        } catch (IOException e) {
            throw new DeviceException("mounted " + device.path() + " at " + spec.mountPoint() + " but could not write"
                    + " the mount unit " + unit + ": " + e.getMessage() + "; check 'mountUnitDir'", e);
        }
    }

    /**
     * Tells a running systemd about the unit just written (else it keeps the old one, or none, until the
     * next boot and warns on every systemctl call). Best effort: the volume is mounted either way.
     */
    private void reloadSystemd(Path unit) {
        if (!Files.isDirectory(Path.of("/run/systemd/system"))) {
            return;   // systemd is not the init of this machine (a container, a test): nothing to reload
        }
        try {
            runner.run(java.util.List.of("systemctl", "daemon-reload"), "load the mount unit " + unit);
        } catch (DeviceException e) {
            System.getLogger(LinuxFileSystemDriver.class.getName()).log(System.Logger.Level.WARNING,
                    "wrote {0} but systemctl daemon-reload failed ({1}); run it by hand", unit, e.getMessage());
        }
    }

    static String describe(DeviceSignature signature) {
        return switch (signature) {
            case Blank b -> "nothing (all zeros)";
            case Recognized r -> "a " + r.type() + " signature" + r.uuid().map(u -> " (UUID " + u + ")").orElse("")
                    + r.filesystemSizeBytes().stream().mapToObj(s -> ", " + s + " bytes").findFirst().orElse("");
            case UnknownData u -> "unrecognised non-zero data at byte offset " + u.offset();
        };
    }
}
