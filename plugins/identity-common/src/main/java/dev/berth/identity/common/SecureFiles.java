package dev.berth.identity.common;

import dev.berth.spi.IdentityException;
import dev.berth.spi.PluginConfig;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Private files: written all-or-nothing with mode 0600 into a 0700 directory, optionally
 * owned by a configured user (config key {@code owner}); key files that group or others
 * can access are refused.
 */
public final class SecureFiles {
    /** Config key naming the user that owns the identity directory and files. */
    public static final String OWNER = "owner";

    /** Identity files are small; anything bigger is not one of ours. */
    private static final long MAX_FILE_BYTES = 1 << 20;
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Optional<String> owner;
    private final String ownerSetting;

    private SecureFiles(Optional<String> owner, String ownerSetting) {
        this.owner = owner;
        this.ownerSetting = ownerSetting;
    }

    public static SecureFiles fromConfig(PluginConfig config) {
        return new SecureFiles(config.get(OWNER).map(String::trim), config.section() + "." + OWNER);
    }

    /**
     * Writes every file or none: each goes to a temporary name (mode 0600) and is synced,
     * then all are renamed into place. Refuses when any target exists.
     */
    public void writeAll(Path dir, Map<String, byte[]> files) {
        prepareDirectory(dir);
        var temps = new LinkedHashMap<String, Path>();
        var placed = new ArrayList<Path>();
        boolean done = false;
        try {
            for (var entry : files.entrySet()) {
                var temp = dir.resolve("." + entry.getKey() + ".tmp-" + HexFormat.of().formatHex(randomBytes(6)));
                temps.put(entry.getKey(), temp);
                writePrivate(temp, entry.getValue());
            }
            for (var entry : temps.entrySet()) {
                var target = dir.resolve(entry.getKey());
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IdentityException("identity file " + target + " appeared while berth was writing the "
                            + "identity: another process is writing to " + dir + "; stop it and retry");
                }
                Files.move(entry.getValue(), target, StandardCopyOption.ATOMIC_MOVE);
                placed.add(target);
            }
            syncDirectory(dir);
            done = true;
        } catch (IOException e) {
            throw new IdentityException("could not write identity files into " + dir + " (" + e.getMessage()
                    + "): check that the volume is mounted read-write and has free space", e);
        } finally {
            if (!done) {
                temps.values().forEach(SecureFiles::deleteQuietly);
                placed.forEach(SecureFiles::deleteQuietly);
            }
        }
    }

    /**
     * Reads a file that must be private to its owner: refuses it when group or others have
     * any access, as ssh does for private keys.
     */
    public static byte[] readPrivate(Path file) {
        requirePrivate(file);
        return read(file);
    }

    /** Reads a public identity file (a certificate). */
    public static byte[] read(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new IdentityException("identity file " + file + " is not a regular file: "
                        + "move it aside and restore the identity from its backup");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new IdentityException("identity file " + file + " is " + size + " bytes, far larger than any "
                        + "identity file: it is not the expected file; restore the identity from its backup");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IdentityException("could not read identity file " + file + " (" + e.getMessage()
                    + "): check that berth runs as the user that owns it", e);
        }
    }

    /** Fails when group or others have any access to {@code file}. */
    public static void requirePrivate(Path file) {
        var view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return; // not a POSIX file system: nothing to check
        }
        Set<PosixFilePermission> mode;
        try {
            mode = view.readAttributes().permissions();
        } catch (IOException e) {
            throw new IdentityException("could not read the permissions of key file " + file + " ("
                    + e.getMessage() + "): check that berth runs as the user that owns it", e);
        }
        var wide = EnumSet.noneOf(PosixFilePermission.class);
        wide.addAll(mode);
        wide.retainAll(GROUP_OR_OTHERS);
        if (!wide.isEmpty()) {
            throw new IdentityException("key file " + file + " has mode " + PosixFilePermissions.toString(mode)
                    + ", so group or others can read it: berth refuses a key that may have leaked. "
                    + "If only trusted users could read it, run 'chmod 600 " + file
                    + "'; otherwise treat the key as compromised");
        }
    }

    public static boolean exists(Path file) {
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    }

    public static byte[] randomBytes(int n) {
        var bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private void prepareDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
            }
            if (Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null) {
                Files.setPosixFilePermissions(dir, DIR_MODE);
            }
            setOwner(dir);
        } catch (FileAlreadyExistsException e) {
            throw new IdentityException("identity directory " + dir + " exists but is not a directory: "
                    + "move the file aside or choose another identity directory", e);
        } catch (IOException e) {
            throw new IdentityException("could not prepare identity directory " + dir + " with mode 0700 ("
                    + e.getMessage() + "): check that the volume is mounted read-write", e);
        }
    }

    private void writePrivate(Path file, byte[] content) throws IOException {
        var options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (var channel = posix(file.getParent())
                ? FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(FILE_MODE))
                : FileChannel.open(file, options)) {
            var buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        if (posix(file)) {
            Files.setPosixFilePermissions(file, FILE_MODE); // the umask may have narrowed, never widened; be exact
        }
        setOwner(file);
    }

    private void setOwner(Path path) throws IOException {
        if (owner.isEmpty()) {
            return;
        }
        UserPrincipal user;
        try {
            user = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(owner.get());
        } catch (IOException e) {
            throw new IdentityException("setting '" + ownerSetting + "' names user '" + owner.get()
                    + "', which this machine does not know: create the user or fix the setting", e);
        }
        try {
            Files.setOwner(path, user);
        } catch (IOException e) {
            throw new IdentityException("could not give " + path + " to user '" + owner.get() + "' ("
                    + e.getMessage() + "): run berth as root, or remove setting '" + ownerSetting + "'", e);
        }
    }

    private static boolean posix(Path path) {
        return Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
    }

    private static void syncDirectory(Path dir) {
        try (var channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some file systems cannot sync a directory; the renames are still atomic.
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // best effort clean-up of our own temporary or partly placed file
        }
    }

    /** The names among {@code names} that exist in {@code dir}, in order. */
    public static List<String> existing(Path dir, List<String> names) {
        return names.stream().filter(n -> exists(dir.resolve(n))).toList();
    }
}
