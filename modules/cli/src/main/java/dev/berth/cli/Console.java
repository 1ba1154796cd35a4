package dev.berth.cli;

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

    /** The log lines of one command ({@code claim}, {@code keeper}, ...) on {@link #err}. */
    CommandLog log(String command) {
        return new CommandLog(err, logFormat, command);
    }
}
