package dev.berth.statics;

import dev.berth.spi.BerthException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One instance's lease as stored at {@code clusters/<cluster>/leases/<instanceId>}: a small JSON
 * object {@code {"instanceId":…,"zone":…,"expiresAtMillis":…,"session":…}}. {@code session} is a
 * random id of the process that holds it, so that two processes configured with one instance id
 * find out instead of both believing they are that instance.
 */
record LeaseRecord(String instanceId, String zone, long expiresAtMillis, String session) {
    static final int MAX_BYTES = 1024;

    boolean liveAt(long nowMillis) {
        return nowMillis < expiresAtMillis;
    }

    byte[] toBytes() {
        return ("{\"instanceId\":\"" + instanceId + "\",\"zone\":\"" + zone + "\",\"expiresAtMillis\":" + expiresAtMillis
                + ",\"session\":\"" + session + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a lease record; a record that is not one says so, naming the key and what to do. */
    static LeaseRecord parse(String key, byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw corrupt(key, "it has " + bytes.length + " bytes, more than " + MAX_BYTES);
        }
        var fields = new FlatJson(key, new String(bytes, StandardCharsets.UTF_8)).parse();
        var instance = fields.get("instanceId");
        var zone = fields.get("zone");
        var expires = fields.get("expiresAtMillis");
        var session = fields.get("session");
        if (!(instance instanceof String i) || !StaticSettings.isValidName(i)) {
            throw corrupt(key, "its instanceId is missing or not a valid instance id");
        }
        if (!key.endsWith("/" + i)) {
            throw corrupt(key, "it names instance '" + i + "', not the one in its key");
        }
        if (!(zone instanceof String z) || !StaticSettings.isValidName(z)) {
            throw corrupt(key, "its zone is missing or not a valid zone name");
        }
        if (!(expires instanceof Long e) || e < 0) {
            throw corrupt(key, "its expiresAtMillis is missing, negative or not a whole number");
        }
        if (!(session instanceof String s) || s.isEmpty() || s.length() > 64) {
            throw corrupt(key, "its session is missing or longer than 64 characters");
        }
        return new LeaseRecord(i, z, e, s);
    }

    static CorruptLeaseException corrupt(String key, String what) {
        return new CorruptLeaseException("lease record '" + key + "' is not a berth lease (" + what + "); berth counts"
                + " that instance as alive and never overwrites the record: delete the key in the store by hand"
                + " if the instance is gone, and its own berth will write a fresh lease");
    }

    /** A lease record that cannot be read. */
    static final class CorruptLeaseException extends BerthException {
        private static final long serialVersionUID = 1L;

        CorruptLeaseException(String message) {
            super(message);
        }
    }

    /** A strict parser for one flat JSON object of strings and whole numbers. */
    private static final class FlatJson {
        private final String key;
        private final String text;
        private int pos;

        FlatJson(String key, String text) {
            this.key = key;
            this.text = text;
        }

        Map<String, Object> parse() {
            var result = new LinkedHashMap<String, Object>();
            skipSpace();
            expect('{');
            skipSpace();
            if (peek() == '}') {
                pos++;
            } else {
                while (true) {
                    skipSpace();
                    var name = string();
                    skipSpace();
                    expect(':');
                    skipSpace();
                    Object value = peek() == '"' ? string() : number();
                    if (result.put(name, value) != null) {
                        throw corrupt(key, "field '" + name + "' appears twice");
                    }
                    skipSpace();
                    char c = next();
                    if (c == '}') {
                        break;
                    }
                    if (c != ',') {
                        throw corrupt(key, "it is not valid JSON at position " + (pos - 1));
                    }
                }
            }
            skipSpace();
            if (pos != text.length()) {
                throw corrupt(key, "it has text after the JSON object at position " + pos);
            }
            return result;
        }

        private String string() {
            expect('"');
            var out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\' || c < 0x20) {
                    throw corrupt(key, "it holds an escape or control character at position " + (pos - 1));
                }
                out.append(c);
            }
        }

        private Long number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            while (pos < text.length() && Character.isDigit(text.charAt(pos)) && pos - start < 19) {
                pos++;
            }
            try {
                return Long.parseLong(text.substring(start, pos));
            } catch (NumberFormatException e) {
                throw corrupt(key, "it holds a value that is neither a string nor a whole number at position " + start);
            }
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private char peek() {
            if (pos >= text.length()) {
                throw corrupt(key, "it ends too early");
            }
            return text.charAt(pos);
        }

        private char next() {
            char c = peek();
            pos++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) {
                throw corrupt(key, "it is not valid JSON at position " + (pos - 1) + " (expected '" + c + "')");
            }
        }
    }
}
