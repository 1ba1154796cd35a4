package dev.berth.core.store;

import dev.berth.storecheck.history.History;
import dev.berth.storecheck.history.HistoryRecorder;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One client of the file store trials, in a process of its own so that it can be killed with
 * SIGKILL mid-call: {@code <store dir> <history file> <client number> <operations> <keys>}. Each
 * operation's line is appended (one write call) when it is invoked and again when it is answered,
 * so the history file of a killed client ends with the invocation of the call it died in.
 */
public final class FileStoreTrialClient {

    private FileStoreTrialClient() {
    }

    static List<String> keys(int count) {
        return IntStream.range(0, count).mapToObj(k -> "trial/k" + k).toList();
    }

    public static void main(String[] args) throws IOException {
        var store = FileClaimStore.open(Path.of(args[0]));
        int client = Integer.parseInt(args[2]);
        int operations = Integer.parseInt(args[3]);
        try (var out = new FileOutputStream(args[1], true)) {
            var recorder = new HistoryRecorder.Client(store, keys(Integer.parseInt(args[4])), client, System.nanoTime() ^ client,
                    op -> {
                        try {
                            out.write((History.line(op) + "\n").getBytes(StandardCharsets.UTF_8));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
            for (int i = 0; i < operations; i++) {
                recorder.step();
            }
        }
    }
}
