package dev.berth.core.claim;

import java.nio.file.Path;
import java.util.SequencedMap;

/** Writes the env file the workload reads. */
@FunctionalInterface
public interface EnvFileWriter {

    void write(Path file, SequencedMap<String, String> values);

    /** Writes the file atomically (temporary file, then rename), mode 0644: it holds no secret. */
    static EnvFileWriter local() {
        return new LocalEnvFileWriter();
    }
}
