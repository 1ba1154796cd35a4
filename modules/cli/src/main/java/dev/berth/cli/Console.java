package dev.berth.cli;

import io.avaje.jsonb.JsonType;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.PrintStream;

/** Where a command writes: results to {@code out}, progress and errors to {@code err}. */
@Singleton
final class Console {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;
    private LogFormat logFormat = LogFormat.TEXT;
    private JsonType<Object> jsonLines;

    @Inject
    Console() {
        this(System.out, System.err, System.console() != null);
    }

    Console(PrintStream out, PrintStream err, boolean interactive) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    boolean interactive() {
        return interactive;
    }

    /** Set once by {@link Main} from {@code --log-format} or {@code BERTH_LOG_FORMAT}, before a command runs. */
    void logFormat(LogFormat format) {
        this.logFormat = format;
    }

    LogFormat logFormat() {
        return logFormat;
    }

    /** Set once by {@link Main}: the writer of JSON log lines, from the run's one {@code Jsonb} (the commands' bean). */
    void jsonLines(JsonType<Object> writer) {
        this.jsonLines = writer;
    }

    /** The writer of JSON log lines; needed only with {@link LogFormat#JSON}. */
    JsonType<Object> jsonLines() {
        if (jsonLines == null && logFormat == LogFormat.JSON) {
            throw new IllegalStateException("JSON log lines asked for before Main set the run's Jsonb");
        }
        return jsonLines;
    }

    /** The log lines of one command ({@code claim}, {@code keeper}, ...) on {@link #err}. */
    CommandLog log(String command) {
        return new CommandLog(err, logFormat, jsonLines(), command);
    }
}
