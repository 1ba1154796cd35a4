package dev.berth.store.etcd;

import io.avaje.json.JsonReader;
import io.avaje.json.JsonWriter;
import io.avaje.json.stream.JsonStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The bodies of etcd's v3 JSON gateway ({@code /v3/kv/range}, {@code /v3/kv/txn},
 * {@code /v3/auth/authenticate}), written and read with avaje's streaming JSON, no reflection.
 * Keys and values travel as base64; 64-bit numbers as decimal strings; the gateway leaves out
 * fields at their zero value ({@code succeeded: false}, an empty {@code kvs}, {@code more: false}).
 */
final class EtcdJson {

    private static final JsonStream JSON = JsonStream.builder().build();
    private static final Base64.Encoder B64 = Base64.getEncoder();

    private EtcdJson() {
    }

    /** One key as etcd returned it. */
    record KeyValue(byte[] key, byte[] value, long modRevision) {
    }

    /** A range read: the keys and whether the range holds more than were returned. */
    record Range(List<KeyValue> kvs, boolean more) {
    }

    /** A transaction: whether the compare held, the store revision after it, and what the else-branch read. */
    record Txn(boolean succeeded, long revision, List<KeyValue> read) {
    }

    /** An error body: {@code {"error": ..., "message": ..., "code": <gRPC code>}}. */
    record Error(int code, String message) {
    }

    /** The comparison of a transaction: on {@code create_revision} (create-if-absent) or {@code mod_revision}. */
    enum Target { CREATE, MOD }

    static byte[] range(byte[] key, byte[] rangeEnd) {
        try (var w = JSON.bufferedWriterAsBytes()) {
            w.beginObject();
            w.name("key");
            w.value(B64.encodeToString(key));
            if (rangeEnd != null) {
                w.name("range_end");
                w.value(B64.encodeToString(rangeEnd));
                w.name("sort_order");
                w.value("ASCEND");
                w.name("sort_target");
                w.value("KEY");
            }
            w.endObject();
            w.flush();
            return w.result();
        }
    }

    /**
     * {@code if <target>(key) == revision then put(key, value) (or delete(key) when value is null)
     * else range(key)}.
     */
    static byte[] txn(byte[] key, Target target, long revision, byte[] value) {
        String k = B64.encodeToString(key);
        try (var w = JSON.bufferedWriterAsBytes()) {
            w.beginObject();
            w.name("compare");
            w.beginArray();
            w.beginObject();
            w.name("key");
            w.value(k);
            w.name("target");
            w.value(target.name());
            w.name("result");
            w.value("EQUAL");
            w.name(target == Target.CREATE ? "create_revision" : "mod_revision");
            w.value(Long.toString(revision));
            w.endObject();
            w.endArray();
            w.name("success");
            w.beginArray();
            w.beginObject();
            if (value == null) {
                w.name("request_delete_range");
                keyOnly(w, k);
            } else {
                w.name("request_put");
                w.beginObject();
                w.name("key");
                w.value(k);
                w.name("value");
                w.value(B64.encodeToString(value));
                w.endObject();
            }
            w.endObject();
            w.endArray();
            w.name("failure");
            w.beginArray();
            w.beginObject();
            w.name("request_range");
            keyOnly(w, k);
            w.endObject();
            w.endArray();
            w.endObject();
            w.flush();
            return w.result();
        }
    }

    static byte[] authenticate(String user, char[] password) {
        try (var w = JSON.bufferedWriterAsBytes()) {
            w.beginObject();
            w.name("name");
            w.value(user);
            w.name("password");
            w.value(new String(password));
            w.endObject();
            w.flush();
            return w.result();
        }
    }

    private static void keyOnly(JsonWriter w, String base64Key) {
        w.beginObject();
        w.name("key");
        w.value(base64Key);
        w.endObject();
    }

    static Range parseRange(byte[] body) {
        try (var r = JSON.reader(body)) {
            var kvs = new ArrayList<KeyValue>();
            boolean more = false;
            r.beginObject();
            while (r.hasNextField()) {
                switch (r.nextField()) {
                    case "kvs" -> readKvs(r, kvs);
                    case "more" -> more = r.readBoolean();
                    default -> r.skipValue();
                }
            }
            r.endObject();
            return new Range(List.copyOf(kvs), more);
        }
    }

    static Txn parseTxn(byte[] body) {
        try (var r = JSON.reader(body)) {
            boolean succeeded = false;
            long revision = 0;
            var read = new ArrayList<KeyValue>();
            r.beginObject();
            while (r.hasNextField()) {
                switch (r.nextField()) {
                    case "header" -> revision = readHeaderRevision(r);
                    case "succeeded" -> succeeded = r.readBoolean();
                    case "responses" -> {
                        r.beginArray();
                        while (r.hasNextElement()) {
                            r.beginObject();
                            while (r.hasNextField()) {
                                if (r.nextField().equals("response_range")) {
                                    read.addAll(parseRangeObject(r));
                                } else {
                                    r.skipValue();
                                }
                            }
                            r.endObject();
                        }
                        r.endArray();
                    }
                    default -> r.skipValue();
                }
            }
            r.endObject();
            return new Txn(succeeded, revision, List.copyOf(read));
        }
    }

    static String parseToken(byte[] body) {
        try (var r = JSON.reader(body)) {
            String token = null;
            r.beginObject();
            while (r.hasNextField()) {
                if (r.nextField().equals("token")) {
                    token = r.readString();
                } else {
                    r.skipValue();
                }
            }
            r.endObject();
            return token;
        }
    }

    /** The error body of a failed gateway call, or null when the body is not one. */
    static Error parseError(byte[] body) {
        try (var r = JSON.reader(body)) {
            int code = -1;
            String message = null;
            String error = null;
            r.beginObject();
            while (r.hasNextField()) {
                switch (r.nextField()) {
                    case "code" -> code = (int) readLong(r);
                    case "message" -> message = r.readString();
                    case "error" -> error = r.readString();
                    default -> r.skipValue();
                }
            }
            r.endObject();
            String text = message != null ? message : error;
            return code < 0 && text == null ? null : new Error(code, text == null ? "" : text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static List<KeyValue> parseRangeObject(JsonReader r) {
        var kvs = new ArrayList<KeyValue>();
        r.beginObject();
        while (r.hasNextField()) {
            if (r.nextField().equals("kvs")) {
                readKvs(r, kvs);
            } else {
                r.skipValue();
            }
        }
        r.endObject();
        return kvs;
    }

    private static long readHeaderRevision(JsonReader r) {
        long revision = 0;
        r.beginObject();
        while (r.hasNextField()) {
            if (r.nextField().equals("revision")) {
                revision = readLong(r);
            } else {
                r.skipValue();
            }
        }
        r.endObject();
        return revision;
    }

    private static void readKvs(JsonReader r, List<KeyValue> into) {
        r.beginArray();
        while (r.hasNextElement()) {
            byte[] key = new byte[0];
            byte[] value = new byte[0];
            long modRevision = 0;
            r.beginObject();
            while (r.hasNextField()) {
                switch (r.nextField()) {
                    // readBinary decodes base64 in place (readString stops at 50,000 characters)
                    case "key" -> key = r.readBinary();
                    case "value" -> value = r.readBinary();
                    case "mod_revision" -> modRevision = readLong(r);
                    default -> r.skipValue();
                }
            }
            r.endObject();
            into.add(new KeyValue(key, value, modRevision));
        }
        r.endArray();
    }

    /** grpc-gateway writes int64 as a string and int32 as a number: take either. */
    private static long readLong(JsonReader r) {
        if (r.currentToken() == JsonReader.Token.STRING) {
            return Long.parseLong(r.readString());
        }
        return r.readLong();
    }
}
