package dev.berth.statics;

import dev.berth.spi.CloudException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Directory volumes on this machine: the data of volume {@code vol-…} is the directory
 * {@code <dataRoot>/vol-…}, and what berth knows about it (zone, size, tags, which instance has
 * it attached) is a properties file {@code <dataRoot>/.berth-volumes/vol-….properties}, kept
 * outside the data so that an empty data directory stays blank. Every change of a volume's file
 * happens under a lock held across threads (a JVM lock) and processes (a file lock), so several
 * berth processes on one machine see one attachment state.
 */
final class DirectoryVolumes {
    static final Pattern VOLUME_ID = Pattern.compile("vol-[0-9a-f]{17}");
    private static final Map<Path, ReentrantLock> LOCAL_LOCKS = new ConcurrentHashMap<>();

    /** What berth records about one directory volume; {@code attachedTo} empty when detached. */
    record Meta(String volumeId, String zone, int sizeGiB, String clientToken, long createdAtMillis,
                Map<String, String> tags, Optional<String> attachedTo) {
        Meta {
            tags = Map.copyOf(tags);
        }

        Meta withAttachedTo(Optional<String> instance) {
            return new Meta(volumeId, zone, sizeGiB, clientToken, createdAtMillis, tags, instance);
        }

        Meta withSize(int newSizeGiB) {
            return new Meta(volumeId, zone, newSizeGiB, clientToken, createdAtMillis, tags, attachedTo);
        }

        Meta withTags(Map<String, String> more) {
            var merged = new TreeMap<>(tags);
            merged.putAll(more);
            return new Meta(volumeId, zone, sizeGiB, clientToken, createdAtMillis, merged, attachedTo);
        }
    }

    private final Path dataRoot;
    private final Path metaDir;

    DirectoryVolumes(Path dataRoot) {
        this.dataRoot = dataRoot.toAbsolutePath().normalize();
        this.metaDir = this.dataRoot.resolve(".berth-volumes");
    }

    Path dataRoot() {
        return dataRoot;
    }

    Path dataDirectory(String volumeId) {
        return dataRoot.resolve(volumeId);
    }

    static boolean isVolumeId(String id) {
        return id != null && VOLUME_ID.matcher(id).matches();
    }

    Optional<Meta> read(String volumeId) {
        if (!isVolumeId(volumeId)) {
            return Optional.empty();
        }
        var file = metaFile(volumeId);
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            return Optional.of(decode(volumeId, Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw failure("read the record of volume " + volumeId + " at " + file, e);
        }
    }

    List<Meta> all() {
        var result = new ArrayList<Meta>();
        if (!Files.isDirectory(metaDir)) {
            return result;
        }
        try (var files = Files.list(metaDir)) {
            for (var file : files.sorted().toList()) {
                var name = file.getFileName().toString();
                if (name.endsWith(".properties")) {
                    read(name.substring(0, name.length() - ".properties".length())).ifPresent(result::add);
                }
            }
        } catch (IOException e) {
            throw failure("list the volumes in " + metaDir, e);
        }
        return result;
    }

    void write(Meta meta) {
        var file = metaFile(meta.volumeId());
        try {
            Files.createDirectories(metaDir);
            var tmp = metaDir.resolve("." + meta.volumeId() + ".tmp");
            try (var channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(StandardCharsets.UTF_8.encode(encode(meta)));
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw failure("write the record of volume " + meta.volumeId() + " at " + file, e);
        }
    }

    /** Removes a volume: its data directory (all of it) and then its record. */
    void delete(String volumeId) {
        var dir = dataDirectory(volumeId);
        try {
            if (Files.isDirectory(dir)) {
                try (var walk = Files.walk(dir)) {
                    for (var path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
            Files.deleteIfExists(metaFile(volumeId));
        } catch (IOException e) {
            throw failure("delete volume " + volumeId + " at " + dir, e);
        }
    }

    /** Runs {@code action} holding the volume's lock, against other threads and other processes. */
    <T> T locked(String volumeId, Supplier<T> action) {
        var lockFile = metaDir.resolve(volumeId + ".lock");
        var local = LOCAL_LOCKS.computeIfAbsent(lockFile, f -> new ReentrantLock());
        local.lock();
        try {
            Files.createDirectories(metaDir);
            try (var channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 var ignored = channel.lock()) {
                return action.get();
            }
        } catch (IOException e) {
            throw failure("lock volume " + volumeId + " at " + lockFile, e);
        } finally {
            local.unlock();
        }
    }

    private Path metaFile(String volumeId) {
        return metaDir.resolve(volumeId + ".properties");
    }

    private static String encode(Meta meta) {
        var p = new Properties();
        p.setProperty("volumeId", meta.volumeId());
        p.setProperty("zone", meta.zone());
        p.setProperty("sizeGiB", Integer.toString(meta.sizeGiB()));
        p.setProperty("clientToken", meta.clientToken());
        p.setProperty("createdAtMillis", Long.toString(meta.createdAtMillis()));
        meta.attachedTo().ifPresent(a -> p.setProperty("attachedTo", a));
        meta.tags().forEach((k, v) -> p.setProperty("tag." + k, v));
        var out = new StringWriter();
        try {
            p.store(out, "berth directory volume: written by berth, do not edit while berth runs");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private Meta decode(String volumeId, String text) {
        var p = new Properties();
        try {
            p.load(new StringReader(text));
            if (!volumeId.equals(p.getProperty("volumeId"))) {
                throw new IllegalArgumentException("it names volume '" + p.getProperty("volumeId") + "'");
            }
            var tags = new TreeMap<String, String>();
            for (var name : p.stringPropertyNames()) {
                if (name.startsWith("tag.")) {
                    tags.put(name.substring(4), p.getProperty(name));
                }
            }
            return new Meta(volumeId, require(p, "zone"), Integer.parseInt(require(p, "sizeGiB")),
                    require(p, "clientToken"), Long.parseLong(require(p, "createdAtMillis")), tags,
                    Optional.ofNullable(p.getProperty("attachedTo")).filter(s -> !s.isBlank()));
        } catch (IOException | IllegalArgumentException e) {
            throw new CloudException(CloudException.Reason.INVALID, volumeId, "the record of volume " + volumeId
                    + " at " + metaFile(volumeId) + " cannot be read (" + e.getMessage() + "): restore it from the"
                    + " file's backup or remove the volume's record and data directory by hand");
        }
    }

    private static String require(Properties p, String name) {
        var value = p.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("field '" + name + "' is missing");
        }
        return value;
    }

    private static CloudException failure(String what, IOException e) {
        var reason = e instanceof AccessDeniedException ? CloudException.Reason.ACCESS_DENIED
                : CloudException.Reason.UNAVAILABLE;
        return new CloudException(reason, what, "could not " + what + " (" + e + "): check that the volume data root"
                + " exists and that berth may write there (run as root, or set data-root to a writable directory)", e);
    }
}
