package dev.berth.core.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.storecheck.history.History;
import dev.berth.storecheck.history.LinearizabilityChecker;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trial: 8 client processes on one file store directory, each a JVM of its own, killed with
 * SIGKILL (kill -9) at random moments and replaced by a fresh client, while the others go on. The
 * merged history, in which each killed client's last call has a lost answer, must be linearizable.
 */
class FileStoreKillTrialTest {
    private static final int CLIENTS = 8;
    private static final int KEYS = 4;
    private static final int OPERATIONS_PER_CLIENT = 900;
    private static final int TARGET_OPERATIONS = 6_000;
    private static final int MIN_KILLS = 8;
    /** A cap, not a goal: on a busy 2-core machine the trial takes longer, and that is fine. */
    private static final long TRIAL_NANOS = TimeUnit.SECONDS.toNanos(150);

    @TempDir
    Path dir;

    @Test
    void clientsKilledWithSigkillMidCallLeaveALinearizableHistory() throws Exception {
        long started = System.nanoTime();
        var storeDir = dir.resolve("store");
        FileClaimStore.open(storeDir);
        var random = new SplittableRandom(started);
        var live = new ArrayList<Process>();
        var files = new ArrayList<Path>();
        int kills = 0;
        try {
            for (int c = 0; c < CLIENTS; c++) {
                live.add(start(storeDir, files));
            }
            // until both enough operations and enough kills (a fast machine reaches the operations first)
            while (System.nanoTime() - started < TRIAL_NANOS && (recorded(files) < TARGET_OPERATIONS || kills < MIN_KILLS)) {
                Thread.sleep(250 + random.nextInt(450));
                var victim = live.get(random.nextInt(live.size()));
                if (victim.isAlive() && recorded(files) > 200) {
                    victim.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, mid-call or between calls
                    victim.waitFor(10, TimeUnit.SECONDS);
                    kills++;
                }
                for (int i = 0; i < live.size(); i++) {
                    if (!live.get(i).isAlive()) {
                        live.set(i, start(storeDir, files));
                    }
                }
            }
        } finally {
            for (var process : live) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        var lines = new ArrayList<String>();
        for (var file : files) {
            lines.addAll(completeLines(file));
        }
        var history = History.parse(lines);
        var verdict = LinearizabilityChecker.check(history);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        System.out.println("[trial file kill-9] faults: " + kills + " SIGKILLs of " + files.size() + " client processes; "
                + verdict.summary() + "; trial " + seconds + " s");
        assertTrue(verdict.linearizable(), verdict.summary());
        assertTrue(kills >= 5, "only " + kills + " kills: the trial did not exercise crashes");
        assertTrue(history.size() >= 2_000, "only " + history.size() + " operations recorded in " + seconds + " s");
    }

    private Process start(Path storeDir, List<Path> files) throws IOException {
        int client = files.size();
        var file = dir.resolve("client-" + client + ".history");
        files.add(file);
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var command = List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classPath(),
                FileStoreTrialClient.class.getName(), storeDir.toString(), file.toString(), Integer.toString(client),
                Integer.toString(OPERATIONS_PER_CLIENT), Integer.toString(KEYS));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("client-" + client + ".log").toFile()).start();
    }

    /** Everything this test runs with, as a plain class path: the client needs core, spi, storecheck and this class. */
    static String classPath() {
        var entries = new LinkedHashSet<String>();
        for (var property : List.of("jdk.module.path", "java.class.path")) {
            var value = System.getProperty(property);
            if (value != null && !value.isBlank()) {
                entries.addAll(Arrays.asList(value.split(File.pathSeparator)));
            }
        }
        for (var type : List.of(FileStoreTrialClient.class, FileClaimStore.class, History.class, dev.berth.spi.ClaimStore.class)) {
            try {
                entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (java.net.URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static int recorded(List<Path> files) throws IOException {
        int lines = 0;
        for (var file : files) {
            if (Files.exists(file)) {
                try (Stream<String> all = Files.lines(file)) {
                    lines += (int) all.count();
                }
            }
        }
        return lines / 2; // an invocation line and an answer line per operation
    }

    /** The lines of a client's history file, without a last line a kill may have cut. */
    private static List<String> completeLines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        var text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
    }
}
