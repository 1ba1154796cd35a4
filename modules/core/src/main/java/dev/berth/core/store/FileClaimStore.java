package dev.berth.core.store;

import dev.berth.spi.BerthException;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.Conflict;
import dev.berth.spi.DeleteResult;
import dev.berth.spi.Deleted;
import dev.berth.spi.StoreException;
import dev.berth.spi.Versioned;
import dev.berth.spi.WriteResult;
import dev.berth.spi.Written;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A linearizable claim store on a local directory, safe across processes: every operation
 * runs under an exclusive lock on {@code <dir>/lock} (a file lock between processes, a
 * {@link ReentrantLock} between threads of one process), and every write lands by writing a
 * temporary file, forcing it to disk and renaming it atomically over the key's file.
 *
 * <p>A version is never handed out twice, whatever the counter file says: a new version is above
 * the counter, above the version the key has now, and at least the wall clock in microseconds.
 * So a counter file rolled back (a restored backup) or lost cannot give a key a version it had
 * before, and a stale reader's compare-and-set fails as it must (no ABA); the clock covers a key
 * deleted and made again after the counter was lost. Versions and the counter are untrusted
 * numbers: one that cannot rise any more is reported as corrupt, and nothing is written.
 */
public final class FileClaimStore implements ClaimStore {
    private static final Map<Path, ReentrantLock> LOCAL_LOCKS = new ConcurrentHashMap<>();
    private static final String HEADER = "berth-store-v1 ";
    private static final long LOCK_WAIT_NANOS = 30_000_000_000L;

    private final Path root;
    private final Path keys;
    private final Path lockFile;
    private final Path counter;
    private final ReentrantLock localLock;

    private FileClaimStore(Path root) {
        this.root = root;
        this.keys = root.resolve("keys");
        this.lockFile = root.resolve("lock");
        this.counter = root.resolve("counter");
        this.localLock = LOCAL_LOCKS.computeIfAbsent(root, r -> new ReentrantLock());
    }

    /** Opens (creating if needed) a store in {@code dir}; fails clearly when it is not a writable directory. */
    public static FileClaimStore open(Path dir) {
        var root = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(root.resolve("keys"));
            var probe = Files.createTempFile(root, ".probe", ".tmp");
            Files.delete(probe);
        } catch (FileAlreadyExistsException e) {
            throw new BerthException("store directory " + root + " cannot be used: " + e.getFile()
                    + " exists and is not a directory; point the store at a directory (file:///var/lib/berth/store)");
        } catch (AccessDeniedException e) {
            throw new BerthException("store directory " + root + " is not writable (" + e.getFile()
                    + "): run berth as a user that may write there, or choose another directory with --store file:///path");
        } catch (IOException e) {
            throw new BerthException("store directory " + root + " cannot be used (" + e
                    + "): check that it is a writable directory on a local disk");
        }
        return new FileClaimStore(root);
    }

    @Override
    public String describe() {
        return "file://" + root;
    }

    @Override
    public Optional<Versioned> get(String key) {
        var path = pathOf(key);
        return locked(() -> read(key, path));
    }

    @Override
    public List<Versioned> list(String prefix) {
        KeyNames.check(prefix, true);
        return locked(() -> {
            var result = new ArrayList<Versioned>();
            try (var files = Files.list(keys)) {
                for (var file : files.toList()) {
                    var name = file.getFileName().toString();
                    if (name.startsWith(".")) {
                        continue;
                    }
                    var key = URLDecoder.decode(name, StandardCharsets.UTF_8);
                    if (key.startsWith(prefix)) {
                        read(key, file).ifPresent(result::add);
                    }
                }
            } catch (IOException e) {
                throw failure("list keys under '" + prefix + "'", e);
            }
            result.sort(Comparator.comparing(Versioned::key));
            return result;
        });
    }

    @Override
    public WriteResult putIfAbsent(String key, byte[] value) {
        var path = pathOf(key);
        return locked(() -> {
            var current = read(key, path);
            if (current.isPresent()) {
                return new Conflict(current);
            }
            return new Written(write(key, path, value, current));
        });
    }

    @Override
    public WriteResult compareAndSet(String key, String expectedVersion, byte[] value) {
        var path = pathOf(key);
        return locked(() -> {
            var current = read(key, path);
            if (current.isEmpty() || !current.get().version().equals(expectedVersion)) {
                return new Conflict(current);
            }
            return new Written(write(key, path, value, current));
        });
    }

    @Override
    public DeleteResult deleteIfVersion(String key, String expectedVersion) {
        var path = pathOf(key);
        return locked(() -> {
            var current = read(key, path);
            if (current.isEmpty() || !current.get().version().equals(expectedVersion)) {
                return new Conflict(current);
            }
            try {
                Files.delete(path);
                forceDirectory(keys);
            } catch (IOException e) {
                throw failure("delete '" + key + "'", e);
            }
            return new Deleted();
        });
    }

    private Path pathOf(String key) {
        KeyNames.check(key, false);
        return keys.resolve(URLEncoder.encode(key, StandardCharsets.UTF_8));
    }

    private Optional<Versioned> read(String key, Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("read '" + key + "'", e);
        }
        int newline = indexOf(bytes, (byte) '\n');
        var header = newline < 0 ? "" : new String(bytes, 0, newline, StandardCharsets.US_ASCII);
        if (!header.startsWith(HEADER)) {
            throw new StoreException("store file " + path + " for key '" + key + "' has no berth header: it was"
                    + " not written by berth; move it away and re-run", false);
        }
        var version = header.substring(HEADER.length()).trim();
        if (parseVersion(version) < 1) {
            throw new StoreException("store file " + path + " for key '" + key + "' has version '"
                    + (version.length() > 24 ? version.substring(0, 24) + "..." : version) + "', which is not a whole"
                    + " number from 1 to " + (Long.MAX_VALUE - 1) + ": the file is corrupt; berth leaves it as it is."
                    + " Restore it from a backup or move it away, then re-run", false);
        }
        var value = new byte[bytes.length - newline - 1];
        System.arraycopy(bytes, newline + 1, value, 0, value.length);
        return Optional.of(new Versioned(key, value, version));
    }

    /** A version as written by this store: 1 to 19 decimal digits below Long.MAX_VALUE; -1 for anything else. */
    private static long parseVersion(String version) {
        if (version.isEmpty() || version.length() > 19 || !version.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        try {
            long n = Long.parseLong(version);
            return n == Long.MAX_VALUE ? -1 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private String write(String key, Path path, byte[] value, Optional<Versioned> current) {
        try {
            long floor = current.map(v -> parseVersion(v.version())).orElse(0L);
            long next = nextVersion(floor);
            var version = Long.toString(next);
            var header = (HEADER + version + "\n").getBytes(StandardCharsets.US_ASCII);
            var tmp = keys.resolve("." + path.getFileName() + ".tmp");
            try (var ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(header));
                ch.write(ByteBuffer.wrap(value));
                ch.force(true);
            }
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(keys);
            return version;
        } catch (IOException e) {
            throw failure("write '" + key + "'", e);
        }
    }

    /**
     * The next version: above the counter, above {@code keyVersion} (the version the written key has
     * now, 0 when absent) and at least the wall clock in microseconds; it is stored as the new counter.
     */
    private long nextVersion(long keyVersion) throws IOException {
        long current;
        try {
            var text = Files.readString(counter, StandardCharsets.US_ASCII).trim();
            current = parseVersion(text);
            if (current < 0 && !text.equals("0")) {
                throw corruptCounter("it holds '" + (text.length() > 24 ? text.substring(0, 24) + "..." : text)
                        + "', not a whole number from 0 to " + (Long.MAX_VALUE - 1));
            }
            current = Math.max(current, 0);
        } catch (NoSuchFileException e) {
            current = 0;
        }
        long next;
        try {
            next = Math.max(Math.addExact(Math.max(current, keyVersion), 1),
                    Math.multiplyExact(System.currentTimeMillis(), 1000L));
        } catch (ArithmeticException e) {
            throw corruptCounter("it holds " + current + " and the key's version is " + keyVersion
                    + ": the next version would pass the largest number");
        }
        if (next == Long.MAX_VALUE) {
            throw corruptCounter("the next version would be the largest number " + next);
        }
        var tmp = root.resolve(".counter.tmp");
        try (var ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(Long.toString(next).getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(tmp, counter, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return next;
    }

    private StoreException corruptCounter(String what) {
        return new StoreException("store counter " + counter + " cannot be used: " + what + ". Nothing was written;"
                + " restore the counter from a backup (a number above every version in " + keys + ", below "
                + Long.MAX_VALUE + ") before claiming again", false);
    }

    private <T> T locked(Supplier<T> action) {
        localLock.lock();
        try (var channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             var ignored = acquire(channel)) {
            return action.get();
        } catch (IOException e) {
            throw failure("lock " + lockFile, e);
        } finally {
            localLock.unlock();
        }
    }

    /** Takes the file lock; another class loader in this JVM holding it shows up as an overlap, so wait for it. */
    private FileLock acquire(FileChannel channel) throws IOException {
        long deadline = System.nanoTime() + LOCK_WAIT_NANOS;
        while (true) {
            try {
                return channel.lock();
            } catch (OverlappingFileLockException e) {
                if (System.nanoTime() > deadline) {
                    throw new StoreException("store lock " + lockFile + " stayed held for 30 s by this process;"
                            + " another berth in this JVM is stuck: restart it", true);
                }
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }

    private static void forceDirectory(Path dir) {
        try (var ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some filesystems cannot sync a directory; the rename itself is still atomic.
        }
    }

    private StoreException failure(String what, IOException e) {
        var hint = e instanceof AccessDeniedException
                ? "berth may not write there: fix the permissions of " + root
                : "check the disk under " + root;
        return new StoreException("file store could not " + what + " (" + e + "): " + hint, false, e);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
