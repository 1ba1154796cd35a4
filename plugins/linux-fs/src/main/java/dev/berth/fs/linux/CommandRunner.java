package dev.berth.fs.linux;

import dev.berth.spi.DeviceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external command with a time limit, stdin closed, and its output captured. A
 * non-zero exit or a timeout is a {@link DeviceException} with the command, the exit code
 * and the command's stderr.
 */
final class CommandRunner {
    /** What a finished command printed. */
    record Output(String stdout, String stderr) {
    }

    private final Duration timeout;

    CommandRunner(Duration timeout) {
        this.timeout = timeout;
    }

    Output run(List<String> command, String purpose) {
        var line = String.join(" ", command);
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new DeviceException("could not start '" + line + "' to " + purpose + ": " + e.getMessage(), e);
        }
        var stdout = drain(process.getInputStream());
        var stderr = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new DeviceException("'" + line + "' did not finish within " + timeout.toSeconds()
                        + " s while trying to " + purpose + " and was killed; check the device (dmesg) and raise"
                        + " 'commandTimeoutSeconds' if the device is just slow");
            }
            var output = new Output(text(stdout), text(stderr));
            int exit = process.exitValue();
            if (exit != 0) {
                throw new DeviceException("'" + line + "' failed with exit code " + exit + " while trying to " + purpose
                        + ": " + firstNonBlank(output.stderr(), output.stdout()));
            }
            return output;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DeviceException("interrupted while waiting for '" + line + "' to " + purpose, e);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, task -> Thread.ofPlatform().daemon().name("berth-command-output").start(task));
    }

    private static String text(CompletableFuture<String> future) {
        try {
            return future.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String firstNonBlank(String first, String second) {
        var text = !first.isBlank() ? first : second;
        return text.isBlank() ? "(no output)" : text.strip();
    }
}
