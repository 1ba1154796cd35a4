package dev.berth.cli;

import dev.berth.core.claim.ClaimLog;
import io.avaje.jsonb.JsonType;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The log lines of one command on stderr. Text: {@code berth: message} for progress, {@code berth CMD: message} for
 * the final error, as before. JSON: one object a line with {@code time}, {@code level}, {@code logger}
 * ({@code berth.CMD}), {@code message}, {@code durationMillis} (since the command started), the command's fields
 * ({@code cluster}) and the slot, epoch, instance ({@code i-…}) and volume the message names, when it names them. Messages are berth's
 * own, which never carry secret material; the encoding is avaje-jsonb's.
 */
final class CommandLog implements ClaimLog {
    private static final Pattern SLOT = Pattern.compile("\\bslot (\\d+)");
    private static final Pattern EPOCH = Pattern.compile("\\bepoch (\\d+)");
    private static final Pattern INSTANCE = Pattern.compile("\\binstance (i-[0-9A-Za-z-]+)");
    private static final Pattern VOLUME = Pattern.compile("\\b(vol-[0-9A-Za-z]+)");

    private final PrintStream err;
    private final LogFormat format;
    private final JsonType<Object> json;
    private final String command;
    private final long started = System.nanoTime();
    private final Map<String, Object> fields = new LinkedHashMap<>();

    /** {@code json}: the writer of the JSON lines, from the run's one {@code Jsonb} (unused for text). */
    CommandLog(PrintStream err, LogFormat format, JsonType<Object> json, String command) {
        this.err = err;
        this.format = format;
        this.json = json;
        this.command = command;
    }

    /** A field every later JSON line carries ({@code cluster}, {@code instance}); null removes it. */
    CommandLog with(String key, Object value) {
        if (value == null) {
            fields.remove(key);
        } else {
            fields.put(key, value);
        }
        return this;
    }

    /** A progress line. */
    @Override
    public void info(String message) {
        write("INFO", message, "berth: ", null);
    }

    /** The lines of one claim step: JSON lines get a {@code step} field. */
    @Override
    public ClaimLog inStep(String step) {
        return message -> write("INFO", message, "berth: ", step);
    }

    /** The line that says why the command failed. */
    void error(String message) {
        write("ERROR", message, command.equals("berth") ? "berth: " : "berth " + command + ": ", null);
    }

    private void write(String level, String message, String textPrefix, String step) {
        if (format == LogFormat.TEXT) {
            err.println(textPrefix + message);
            return;
        }
        var lineFields = fields;
        if (step != null) {
            lineFields = new LinkedHashMap<>(fields);
            lineFields.put("step", step);
        }
        err.println(json(json, level, command.equals("berth") ? "berth" : "berth." + command, message, lineFields,
                (System.nanoTime() - started) / 1_000_000));
    }

    /** One JSON line; the slot, epoch and volume that the message names become fields unless the command set them. */
    static String json(JsonType<Object> json, String level, String logger, String message, Map<String, Object> fields, long durationMillis) {
        var line = new LinkedHashMap<String, Object>();
        line.put("time", Instant.now().toString());
        line.put("level", level);
        line.put("logger", logger);
        line.put("message", message);
        line.putAll(fields);
        named(line, "slot", SLOT, message, true);
        named(line, "epoch", EPOCH, message, true);
        named(line, "instance", INSTANCE, message, false);
        named(line, "volume", VOLUME, message, false);
        if (durationMillis >= 0) {
            line.put("durationMillis", durationMillis);
        }
        return json.toJson(line);
    }

    private static void named(Map<String, Object> line, String key, Pattern pattern, String message, boolean number) {
        if (line.containsKey(key)) {
            return;
        }
        var m = pattern.matcher(message);
        if (m.find()) {
            line.put(key, number ? (Object) Long.parseLong(m.group(1)) : m.group(1));
        }
    }
}
