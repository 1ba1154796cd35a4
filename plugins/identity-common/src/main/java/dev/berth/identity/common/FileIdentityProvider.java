package dev.berth.identity.common;

import dev.berth.spi.IdentityBundle;
import dev.berth.spi.IdentityException;
import dev.berth.spi.IdentityProvider;
import dev.berth.spi.IdentityState;
import dev.berth.spi.NodeIdentity;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The protocol every file-based identity follows; a subclass says which files make up its
 * identity, which of them are secret, how to create them and how to check them.
 * <ul>
 * <li>load: none of the files means Absent, all of them and consistent means Present,
 * anything else is an error that names the file;</li>
 * <li>generate and restore check the new files in memory, then write all or none;</li>
 * <li>no file's content ever reaches a message.</li>
 * </ul>
 */
public abstract class FileIdentityProvider implements IdentityProvider {
    private final String kind;
    private final List<String> fileNames;
    private final Set<String> secretFiles;
    private final SecureFiles secureFiles;

    protected FileIdentityProvider(String kind, List<String> fileNames, Set<String> secretFiles,
            SecureFiles secureFiles) {
        this.kind = kind;
        this.fileNames = List.copyOf(fileNames);
        this.secretFiles = Set.copyOf(secretFiles);
        this.secureFiles = secureFiles;
    }

    /** Fresh identity files, by name. */
    protected abstract Map<String, byte[]> newFiles();

    /**
     * Checks a complete set of files and names the identity. {@code origin} says where they
     * came from ("/var/lib/x", "the backup") for messages.
     */
    protected abstract NodeIdentity validate(Map<String, byte[]> files, String origin);

    @Override
    public final String kind() {
        return kind;
    }

    @Override
    public final IdentityState load(Path dir) {
        var present = SecureFiles.existing(dir, fileNames);
        if (present.isEmpty()) {
            return new IdentityState.Absent();
        }
        if (present.size() < fileNames.size()) {
            var missing = fileNames.stream().filter(n -> !present.contains(n)).toList();
            throw new IdentityException("the " + kind + " identity in " + dir + " is incomplete: " + present
                    + " exist but " + missing + " are missing. berth will not generate a new key next to an "
                    + "old one: restore the missing files from the identity's backup (berth identity restore "
                    + "--slot N after moving these aside)");
        }
        var files = readAll(dir);
        try {
            return new IdentityState.Present(validate(files, dir.toString()));
        } finally {
            zero(files);
        }
    }

    @Override
    public final NodeIdentity generate(Path dir) {
        refuseExisting(dir, "generate a new one");
        var files = newFiles();
        try {
            var identity = validate(files, "the newly generated identity");
            secureFiles.writeAll(dir, files);
            return identity;
        } finally {
            zero(files);
        }
    }

    @Override
    public final IdentityBundle export(Path dir) {
        if (load(dir) instanceof IdentityState.Absent) {
            throw new IdentityException("there is no " + kind + " identity in " + dir + " (none of " + fileNames
                    + " exist): check the identity directory setting");
        }
        var files = readAll(dir);
        try {
            return new IdentityBundle(kind, files);
        } finally {
            zero(files);
        }
    }

    @Override
    public final NodeIdentity restore(Path dir, IdentityBundle bundle) {
        if (!kind.equals(bundle.kind())) {
            throw new IdentityException("the backup holds a " + bundle.kind() + " identity, not a " + kind
                    + " one: restore it with the matching identity kind");
        }
        refuseExisting(dir, "restore a backup over it");
        var files = new LinkedHashMap<String, byte[]>();
        try {
            for (var name : fileNames) {
                files.put(name, bundle.file(name));
            }
            var identity = validate(files, "the backup");
            secureFiles.writeAll(dir, files);
            return identity;
        } finally {
            zero(files);
        }
    }

    /** The file names, in order. */
    protected final List<String> fileNames() {
        return fileNames;
    }

    /** Reads one file, refusing a secret file that group or others can access. */
    protected final byte[] readFile(Path dir, String name) {
        var file = dir.resolve(name);
        return secretFiles.contains(name) ? SecureFiles.readPrivate(file) : SecureFiles.read(file);
    }

    /** "staker.key in /var/lib/x" or "staker.key in the backup". */
    protected static String describe(String name, String origin) {
        return name + " in " + origin;
    }

    private Map<String, byte[]> readAll(Path dir) {
        var files = new LinkedHashMap<String, byte[]>();
        for (var name : fileNames) {
            files.put(name, readFile(dir, name));
        }
        return files;
    }

    private void refuseExisting(Path dir, String action) {
        var present = SecureFiles.existing(dir, fileNames);
        if (!present.isEmpty()) {
            throw new IdentityException(dir + " already holds " + present + " of a " + kind
                    + " identity: berth will not " + action + ". A node's identity never changes; if these "
                    + "files are stale, move them aside yourself first");
        }
    }

    private static void zero(Map<String, byte[]> files) {
        files.values().forEach(bytes -> Arrays.fill(bytes, (byte) 0));
    }
}
