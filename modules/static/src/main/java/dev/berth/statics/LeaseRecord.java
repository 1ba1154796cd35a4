package dev.berth.statics;

import dev.berth.spi.BerthException;
import io.avaje.json.JsonAdapter;
import io.avaje.json.JsonException;
import io.avaje.json.JsonReader;
import io.avaje.json.JsonWriter;
import io.avaje.jsonb.JsonType;
import io.avaje.jsonb.Jsonb;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

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
        return Json.TYPE.toJson(this).getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a lease record; a record that is not one says so, naming the key and what to do. */
    static LeaseRecord parse(String key, byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw corrupt(key, "it has " + bytes.length + " bytes, more than " + MAX_BYTES);
        }
        var text = new String(bytes, StandardCharsets.UTF_8);
        Fields fields;
        try (var reader = Json.JSONB.reader(text)) {
            fields = Fields.read(key, reader);
            if (reader.hasNextStreamElement()) {
                throw corrupt(key, "it has text after the JSON object");
            }
        } catch (JsonException e) {
            throw corrupt(key, "it is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (!(fields.instanceId instanceof String i) || !StaticSettings.isValidName(i)) {
            throw corrupt(key, "its instanceId is missing or not a valid instance id");
        }
        if (!key.endsWith("/" + i)) {
            throw corrupt(key, "it names instance '" + i + "', not the one in its key");
        }
        if (!(fields.zone instanceof String z) || !StaticSettings.isValidName(z)) {
            throw corrupt(key, "its zone is missing or not a valid zone name");
        }
        if (!(fields.expiresAtMillis instanceof Long e) || e < 0) {
            throw corrupt(key, "its expiresAtMillis is missing, negative or not a whole number");
        }
        if (!(fields.session instanceof String s) || s.isEmpty() || s.length() > 64) {
            throw corrupt(key, "its session is missing or longer than 64 characters");
        }
        return new LeaseRecord(i, z, e, s);
    }

    private static String firstLine(String s) {
        var line = s == null ? "no detail" : s.lines().findFirst().orElse("");
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }

    /** Built once: finding avaje-jsonb's extensions is a service lookup. Immutable. */
    private static final class Json {
        static final Jsonb JSONB = Jsonb.builder().add(LeaseRecord.class, new Writer()).build();
        static final JsonType<LeaseRecord> TYPE = JSONB.type(LeaseRecord.class);
    }

    /** Writes a lease with avaje-jsonb's writer (which escapes); reading goes through {@link Fields}. */
    private static final class Writer implements JsonAdapter<LeaseRecord> {
        @Override
        public void toJson(JsonWriter writer, LeaseRecord lease) {
            writer.beginObject();
            writer.name("instanceId");
            writer.value(lease.instanceId());
            writer.name("zone");
            writer.value(lease.zone());
            writer.name("expiresAtMillis");
            writer.value(lease.expiresAtMillis());
            writer.name("session");
            writer.value(lease.session());
            writer.endObject();
        }

        @Override
        public LeaseRecord fromJson(JsonReader reader) {
            throw new UnsupportedOperationException("lease records are read by LeaseRecord.parse, which names the key");
        }
    }

    /**
     * The fields of one lease object as avaje-jsonb's reader tokenizes them, strictly: a field that
     * appears twice, or a known field of the wrong JSON type, is refused; a field a newer berth adds is
     * skipped whatever it holds. Checking the values is {@link #parse}'s job.
     */
    private static final class Fields {
        private final Set<String> seen = new HashSet<>();
        private Object instanceId;
        private Object zone;
        private Object expiresAtMillis;
        private Object session;

        static Fields read(String key, JsonReader reader) {
            var fields = new Fields();
            reader.beginObject();
            while (reader.hasNextField()) {
                var name = reader.nextField();
                if (!fields.seen.add(name)) {
                    throw corrupt(key, "field '" + name + "' appears twice");
                }
                switch (name) {
                    case "instanceId" -> fields.instanceId = string(reader);
                    case "zone" -> fields.zone = string(reader);
                    case "session" -> fields.session = string(reader);
                    case "expiresAtMillis" -> fields.expiresAtMillis = wholeNumber(reader);
                    default -> reader.skipValue();
                }
            }
            reader.endObject();
            return fields;
        }

        /** The string, or null when the value is not a string (parse names the field). */
        private static String string(JsonReader reader) {
            if (reader.currentToken() != JsonReader.Token.STRING) {
                reader.skipValue();
                return null;
            }
            return reader.readString();
        }

        /** The whole number, or null when the value is not one (a string, a fraction, too large). */
        private static Long wholeNumber(JsonReader reader) {
            if (reader.currentToken() != JsonReader.Token.NUMBER) {
                reader.skipValue();
                return null;
            }
            var raw = reader.readRaw();
            try {
                return Long.parseLong(raw);
            } catch (NumberFormatException e) {
                return null;
            }
        }
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
}
