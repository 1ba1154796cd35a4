package dev.berth.core.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.store.tck.TestServers;
import dev.berth.storecheck.history.HistoryRecorder;
import dev.berth.storecheck.history.LinearizabilityChecker;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trial: the store directory on a small ext4 filesystem (a loop device) whose disk a filler fills
 * to the last block and frees again, over and over, while 8 clients write. A write that meets
 * ENOSPC must fail (an unknown outcome to the clients), never leave a torn record or reuse a
 * version: the history must stay linearizable, and every key must read back afterwards.
 */
class FileStoreDiskFullTrialTest {
    private static final int CLIENTS = 8;
    private static final int OPERATIONS = 4_500;

    @TempDir
    Path dir;

    @Test
    void aDiskThatFillsUpTurnsWritesIntoErrorsNeverIntoTornOrReusedVersions() throws Exception {
        TestServers.need(Files.exists(Path.of("/dev/loop-control")), "no /dev/loop-control: this kernel or container offers"
                + " no loop devices, which the disk-full trial needs");
        TestServers.need("0".equals(run("id", "-u").strip()), "the disk-full trial mounts a loop device and needs root");
        TestServers.need(!run("sh", "-c", "command -v losetup && command -v mkfs.ext4").isBlank(),
                "losetup and mkfs.ext4 are missing (apt-get install mount e2fsprogs)");
        var image = dir.resolve("berth-loop-enospc.img");
        try (var file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(16L << 20);
        }
        var device = run("losetup", "-f", "--show", image.toString()).strip();
        var mount = Files.createDirectories(dir.resolve("mnt"));
        boolean mounted = false;
        try {
            run("mkfs.ext4", "-q", "-F", "-m", "0", "-b", "1024", device);
            run("mount", device, mount.toString());
            mounted = true;
            trial(mount);
        } finally {
            if (mounted) {
                run("umount", mount.toString());
            }
            run("losetup", "-d", device);
        }
    }

    private void trial(Path mount) throws Exception {
        long started = System.nanoTime();
        var store = FileClaimStore.open(mount.resolve("store"));
        var filler = mount.resolve("filler");
        var stop = new AtomicBoolean();
        var fills = new AtomicInteger();
        var fault = Thread.ofPlatform().daemon().start(() -> {
            try (var channel = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                while (!stop.get()) {
                    // full: top the disk up to its last block for a while, taking what the store frees
                    long fullUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                    while (System.nanoTime() < fullUntil && !stop.get()) {
                        fillUp(channel);
                        sleep(2);
                    }
                    fills.incrementAndGet();
                    // then give 256 KiB back for a while
                    channel.truncate(Math.max(0, channel.size() - (256 << 10)));
                    channel.force(true);
                    sleep(150);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot fill or free the trial disk at " + filler, e);
            }
        });
        var keys = FileStoreTrialClient.keys(4);
        var history = HistoryRecorder.run(store, keys, CLIENTS, OPERATIONS, Duration.ofSeconds(50));
        stop.set(true);
        fault.join(TimeUnit.SECONDS.toMillis(10));
        Files.deleteIfExists(filler);
        var verdict = LinearizabilityChecker.check(history);
        var unreadable = new ArrayList<String>();
        for (var key : keys) {
            try {
                store.get(key);
            } catch (RuntimeException e) {
                unreadable.add(key + ": " + e.getMessage());
            }
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        System.out.println("[trial file ENOSPC] faults: disk filled " + fills.get() + " times; " + verdict.summary()
                + "; trial " + seconds + " s");
        assertTrue(verdict.linearizable(), verdict.summary());
        assertTrue(unreadable.isEmpty(), "keys unreadable after the disk filled up: " + unreadable);
        assertTrue(verdict.unknown() > 0, "no write met a full disk: the trial injected no fault (" + verdict.summary() + ")");
    }

    /** Appends to the filler until the filesystem says ENOSPC, in 64 KiB and then 1 KiB blocks (its block size). */
    private static void fillUp(FileChannel channel) {
        for (int size : new int[] {64 << 10, 1 << 10}) {
            var block = ByteBuffer.wrap(new byte[size]);
            try {
                while (true) {
                    block.rewind();
                    channel.write(block, channel.size());
                }
            } catch (IOException e) {
                // "No space left on device": full at this block size
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            if (List.of("id", "sh").contains(command[0])) {
                return "";
            }
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
        return out;
    }
}
