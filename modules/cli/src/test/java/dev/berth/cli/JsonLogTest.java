package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.avaje.jsonb.Jsonb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --log-format json}: every stderr line of claim, status, gc, release, keeper and snapshot is one JSON object. */
class JsonLogTest {
    @TempDir
    Path dir;

    /** Every stderr line, parsed; fails naming the line that is not one JSON object with the four base fields. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> jsonLines(MainTest.Result r) {
        var lines = new ArrayList<Map<String, Object>>();
        var type = Jsonb.builder().build().type(Object.class);
        for (var line : r.err().lines().toList()) {
            Object parsed;
            try {
                parsed = type.fromJson(line);
            } catch (RuntimeException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
            assertTrue(parsed instanceof Map<?, ?>, () -> "not an object: " + line);
            var map = (Map<String, Object>) parsed;
            for (var key : List.of("time", "level", "logger", "message")) {
                assertTrue(map.containsKey(key), () -> key + " missing in: " + line);
            }
            lines.add(map);
        }
        return lines;
    }

    private Path config() throws Exception {
        return Files.writeString(dir.resolve("berth.yaml"), "cluster: demo\nprovider: sim\nstore: file://" + dir.resolve("store")
                + "\nenvFile: " + dir.resolve("berth.env") + "\ncapacity: 2\n");
    }

    @Test
    void claimStatusGcAndReleaseWriteOneJsonObjectPerStderrLine() throws Exception {
        var config = config().toString();
        var claimed = MainTest.run("claim", "--log-format", "json", "--config", config);
        assertEquals(0, claimed.code(), claimed.err());
        assertTrue(claimed.out().startsWith("claimed slot 0 at epoch 1"), "stdout keeps the result: " + claimed.out());
        var lines = jsonLines(claimed);
        assertTrue(lines.size() >= 3, claimed.err());
        for (var line : lines) {
            assertEquals("berth.claim", line.get("logger"), line::toString);
            assertEquals("INFO", line.get("level"), line::toString);
            assertEquals("demo", line.get("cluster"), line::toString);
            if (((String) line.get("message")).startsWith("instance i-local")) {
                assertEquals("i-local", line.get("instance"), line::toString);
            }
            assertTrue(line.get("durationMillis") instanceof Number, line::toString);
        }
        var claimedLine = lines.stream().filter(l -> ((String) l.get("message")).startsWith("claimed slot 0")).findFirst()
                .orElseThrow(() -> new AssertionError(claimed.err()));
        assertEquals(0L, ((Number) claimedLine.get("slot")).longValue());
        assertEquals(1L, ((Number) claimedLine.get("epoch")).longValue());
        assertEquals("slot", claimedLine.get("step"), claimedLine::toString);   // the step that wrote the line
        assertTrue(lines.stream().anyMatch(l -> "volume".equals(l.get("step"))), claimed.err());
        assertTrue(lines.stream().allMatch(l -> l.get("step") == null
                || List.of("slot", "volume", "grow", "filesystem", "identity", "record", "env").contains(l.get("step"))),
                claimed.err());
        assertTrue(lines.stream().anyMatch(l -> l.get("volume") instanceof String v && v.startsWith("vol-")), claimed.err());

        var resumed = MainTest.run("claim", "--log-format=json", "--config", config);   // the = form too
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(jsonLines(resumed).stream().anyMatch(l -> ((String) l.get("message")).startsWith("resuming slot 0")));

        for (var command : List.of(List.of("status"), List.of("gc"), List.of("release", "--slot", "1"))) {
            var args = new ArrayList<>(command);
            args.addAll(List.of("--config", config, "--log-format", "json"));
            var r = MainTest.run(args.toArray(String[]::new));
            jsonLines(r).forEach(l -> assertEquals("berth." + command.getFirst(), l.get("logger"), l::toString));
        }
        var release = MainTest.run("release", "--config", config, "--slot", "7", "--log-format", "json");
        assertTrue(release.code() != 0, release.err());
        var error = jsonLines(release);
        assertEquals(1, error.size(), release.err());
        assertEquals("ERROR", error.getFirst().get("level"));
    }

    @Test
    void badInputIsOneJsonErrorLineWithExitCode2() throws Exception {
        var missing = dir.resolve("nope.yaml").toString();
        for (var command : List.of("claim", "keeper", "snapshot", "status", "gc")) {
            var r = MainTest.run(command, "--config", missing, "--log-format", "json");
            assertEquals(2, r.code(), r.err());
            var lines = jsonLines(r);
            assertEquals(1, lines.size(), r.err());
            assertEquals("ERROR", lines.getFirst().get("level"));
            assertEquals("berth." + command, lines.getFirst().get("logger"));
            assertTrue(((String) lines.getFirst().get("message")).contains(missing), r.err());
        }
        var unknownFlag = MainTest.run("claim", "--log-format", "json", "--no-such-flag");
        assertEquals(2, unknownFlag.code());
        assertEquals(1, jsonLines(unknownFlag).size(), unknownFlag.err());
    }

    @Test
    void textStaysTheDefaultAndAnUnknownFormatIsExit2() throws Exception {
        var text = MainTest.run("claim", "--config", config().toString());
        assertEquals(0, text.code(), text.err());
        assertFalse(text.err().isEmpty());
        assertTrue(text.err().lines().allMatch(l -> l.startsWith("berth: ")), text.err());

        var bad = MainTest.run("status", "--log-format", "yaml", "--config", config().toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("'yaml' is not a log format: use text or json"), bad.err());
    }
}
