package dev.berth.cli;

import io.avaje.jsonb.JsonType;
import java.io.PrintStream;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * With {@code --log-format json}: the java.util.logging lines (the plugins' System.Loggers, libraries' warnings)
 * as JSON lines on the command's stderr, in place of the console handler's text, so that every line is one object.
 */
final class JsonLogHandler extends Handler {
    private final PrintStream err;
    private final JsonType<Object> json;

    JsonLogHandler(PrintStream err, JsonType<Object> json) {
        this.err = err;
        this.json = json;
        setLevel(Level.INFO);
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        var message = record.getMessage();
        if (record.getParameters() != null && record.getParameters().length > 0) {
            message = java.text.MessageFormat.format(message, record.getParameters());
        }
        if (record.getThrown() != null) {
            message += " (" + record.getThrown() + ")";
        }
        var level = record.getLevel().intValue() >= Level.SEVERE.intValue() ? "ERROR"
                : record.getLevel().intValue() >= Level.WARNING.intValue() ? "WARN"
                : record.getLevel().intValue() >= Level.INFO.intValue() ? "INFO" : "DEBUG";
        err.println(CommandLog.json(json, level, record.getLoggerName() == null ? "" : record.getLoggerName(), message, Map.of(),
                -1));
    }

    @Override
    public void flush() {
        err.flush();
    }

    @Override
    public void close() {
        flush();
    }
}
