package dev.berth.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command of the image's tests in a working directory with only the environment given. */
final class ImageProcess {
    /** The built image, target/berth (the pom passes its path). */
    static final Path IMAGE = Path.of(System.getProperty("berth.image", "target/berth")).toAbsolutePath();

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private ImageProcess() {
    }

    /** Runs {@code command} in {@code cwd} with {@code env} alone (and no JDK on the PATH unless env puts one there). */
    static Result run(Path cwd, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        var pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().putAll(env);
        var out = Files.createTempFile("berth-out", ".txt");
        var err = Files.createTempFile("berth-err", ".txt");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            var process = pb.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 5 minutes");
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }
}
