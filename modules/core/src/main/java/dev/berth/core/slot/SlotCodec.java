package dev.berth.core.slot;

import io.avaje.jsonb.JsonType;
import io.avaje.jsonb.Jsonb;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes slot records as JSON, and refuses any record it cannot trust (not JSON,
 * an unknown schema, fields too long or out of range, a record for another key) with an
 * error naming the key. Numbers are bounded here so that the arithmetic berth does on them
 * (the next claim's {@code epoch + 1}, a holder's age {@code now - sinceMillis}) cannot wrap. A refused record is never overwritten by a claim.
 */
public final class SlotCodec {
    static final int MAX_RECORD_BYTES = 64 * 1024;
    private static final int MAX_BACKUP_CHARS = 48 * 1024;

    /** Built once: finding the generated adapters is a service lookup. */
    private static final class Json {
        static final JsonType<SlotRecord> TYPE = Jsonb.builder().build().type(SlotRecord.class);
    }

    private final JsonType<SlotRecord> type;
    private final DecodeCache decoded;

    /** A codec that decodes every record it is given. */
    public SlotCodec() {
        this(null);
    }

    private SlotCodec(DecodeCache decoded) {
        this.type = Json.TYPE;
        this.decoded = decoded;
    }

    /**
     * A codec that remembers the records it decoded (at most {@code maxRecords}), for a caller that
     * reads the same records thousands of times (the simulator). Decoding is a pure function of the
     * bytes and the expected place, so its answers are those of {@link #SlotCodec()}; the memory is
     * this codec's own, shared by whoever is handed this codec.
     */
    public static SlotCodec memoizing(int maxRecords) {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be at least 1, not " + maxRecords);
        }
        return new SlotCodec(new DecodeCache(maxRecords));
    }

    public byte[] encode(SlotRecord record) {
        return type.toJson(record).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The {@link SlotHint} of a record's bytes, for a store that derives a hint it was not given (a
     * value written without one); bytes that are not a slot record get a hint no reader trusts, so
     * that the slot is read and judged in full.
     */
    public String hint(byte[] bytes) {
        try {
            var record = bytes.length > MAX_RECORD_BYTES ? null : type.fromJson(new String(bytes, StandardCharsets.UTF_8));
            return record == null ? SlotHint.UNTRUSTED : SlotHint.of(record);
        } catch (RuntimeException e) {
            return SlotHint.UNTRUSTED;
        }
    }

    public SlotRecord decode(String key, int expectedSlot, String expectedCluster, byte[] bytes) {
        if (decoded == null) {
            return decodeFresh(key, expectedSlot, expectedCluster, bytes);
        }
        var known = decoded.records.get(new DecodeKey(expectedSlot, expectedCluster, bytes));
        if (known != null) {
            return known;
        }
        var record = decodeFresh(key, expectedSlot, expectedCluster, bytes);
        if (decoded.records.size() >= decoded.max) {
            decoded.records.clear();
        }
        decoded.records.put(new DecodeKey(expectedSlot, expectedCluster, bytes.clone()), record);
        return record;
    }

    /** Records already decoded and validated, by their exact bytes and expected place. Bounded: cleared when full. */
    private static final class DecodeCache {
        private final java.util.Map<DecodeKey, SlotRecord> records = new java.util.concurrent.ConcurrentHashMap<>();
        private final int max;

        DecodeCache(int max) {
            this.max = max;
        }
    }

    /** A cache key: its hash is computed once (vectorized), and equality compares the hash before the bytes. */
    private static final class DecodeKey {
        private final int slot;
        private final String cluster;
        private final byte[] bytes;
        private final int hash;

        DecodeKey(int slot, String cluster, byte[] bytes) {
            this.slot = slot;
            this.cluster = cluster;
            this.bytes = bytes;
            this.hash = (java.util.Arrays.hashCode(bytes) * 31 + slot) * 31 + cluster.hashCode();
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DecodeKey k && k.hash == hash && k.slot == slot && k.cluster.equals(cluster)
                    && java.util.Arrays.equals(k.bytes, bytes);
        }
    }

    private SlotRecord decodeFresh(String key, int expectedSlot, String expectedCluster, byte[] bytes) {
        if (bytes.length > MAX_RECORD_BYTES) {
            throw corrupt(key, "it is " + bytes.length + " bytes, more than the " + MAX_RECORD_BYTES + " a slot record may have");
        }
        SlotRecord record;
        try {
            record = type.fromJson(new String(bytes, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw corrupt(key, "it is not valid JSON for a slot record (" + firstLine(e.getMessage()) + ")");
        }
        if (record == null) {
            throw corrupt(key, "it is empty");
        }
        if (record.schema() != SlotRecord.SCHEMA) {
            throw corrupt(key, "its schema version is " + record.schema() + " and this berth reads version "
                    + SlotRecord.SCHEMA + " (a newer berth wrote it? upgrade berth on every node)");
        }
        if (!expectedCluster.equals(record.cluster()) || record.slot() != expectedSlot) {
            throw corrupt(key, "it names cluster '" + shorten(record.cluster()) + "' slot " + record.slot()
                    + " instead of cluster '" + expectedCluster + "' slot " + expectedSlot);
        }
        if (record.epoch() < 0 || record.epoch() == Long.MAX_VALUE) {
            // The next claim raises the epoch by one: at the largest number it would wrap to a negative one.
            throw corrupt(key, "field epoch is " + record.epoch() + ", outside 0 to " + (Long.MAX_VALUE - 1));
        }
        var holder = record.holder();
        if (holder != null) {
            checkId(key, "holder.instanceId", holder.instanceId());
            checkId(key, "holder.zone", holder.zone());
            if (holder.sinceMillis() < 0) {
                throw corrupt(key, "field holder.sinceMillis is negative (" + holder.sinceMillis() + ")");
            }
        }
        if (record.volume() != null) {
            checkId(key, "volume.volumeId", record.volume().volumeId());
            checkId(key, "volume.zone", record.volume().zone());
        }
        if (record.volumeIntent() != null) {
            checkId(key, "volumeIntent.zone", record.volumeIntent().zone());
            checkId(key, "volumeIntent.clientToken", record.volumeIntent().clientToken());
        }
        for (var retired : record.retiredVolumes()) {
            checkId(key, "retiredVolumes.volumeId", retired.volumeId());
        }
        if (record.retiredVolumes().size() > 64) {
            throw corrupt(key, "it lists " + record.retiredVolumes().size() + " retired volumes (at most 64)");
        }
        if (record.latestSnapshot() != null) {
            var snap = record.latestSnapshot();
            checkId(key, "latestSnapshot.snapshotId", snap.snapshotId());
            checkId(key, "latestSnapshot.volumeId", snap.volumeId());
            checkId(key, "latestSnapshot.zone", snap.zone());
            if (snap.takenAtMillis() < 0 || snap.epoch() < 0) {
                throw corrupt(key, "field latestSnapshot has a negative time or epoch");
            }
        }
        if (record.identity() != null) {
            var id = record.identity();
            if (id.kind() == null || id.publicName() == null || id.fingerprint() == null
                    || id.publicName().length() > 512 || !isHex(id.fingerprint())) {
                throw corrupt(key, "its identity field is incomplete or malformed");
            }
        }
        if (record.address() != null) {
            checkAddress(key, record.address());
        }
        if (record.identityBackup() != null && record.identityBackup().length() > MAX_BACKUP_CHARS) {
            throw corrupt(key, "its identity backup is larger than " + MAX_BACKUP_CHARS + " characters");
        }
        return record;
    }

    /** Every field of an address is optional, but one that is there must be an identifier or an IPv4 address. */
    private static void checkAddress(String key, SlotRecord.AddressRef a) {
        optionalId(key, "address.allocationToken", a.allocationToken());
        optionalId(key, "address.allocationId", a.allocationId());
        optionalIp(key, "address.publicIp", a.publicIp());
        optionalId(key, "address.associatedWith", a.associatedWith());
        optionalId(key, "address.interfaceToken", a.interfaceToken());
        optionalId(key, "address.interfaceId", a.interfaceId());
        optionalId(key, "address.interfaceZone", a.interfaceZone());
        optionalIp(key, "address.privateIp", a.privateIp());
        optionalId(key, "address.attachedTo", a.attachedTo());
        if (a.retiredInterfaces().size() > 64) {
            throw corrupt(key, "it lists " + a.retiredInterfaces().size() + " retired interfaces (at most 64)");
        }
        for (var retired : a.retiredInterfaces()) {
            checkId(key, "address.retiredInterfaces", retired);
        }
    }

    private static void optionalId(String key, String field, String value) {
        if (value != null) {
            checkId(key, field, value);
        }
    }

    private static void optionalIp(String key, String field, String value) {
        if (value != null && !isIpv4(value)) {
            throw corrupt(key, "field " + field + " is '" + shorten(value) + "', which is not an IPv4 address");
        }
    }

    static boolean isIpv4(String value) {
        var parts = value.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (var part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(String s) {
        if (s.length() < 16 || s.length() > 128) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static void checkId(String key, String field, String value) {
        if (value == null || !isId(value)) {
            throw corrupt(key, "field " + field + " is " + (value == null ? "missing" : value.length() > 128
                    ? "too long (" + value.length() + " characters, at most 128)"
                    : "'" + shorten(value) + "', which is not a valid identifier"));
        }
    }

    /** {@code [A-Za-z0-9][A-Za-z0-9._:/-]{0,127}}, without a regex: this runs for every record read. */
    static boolean isId(String value) {
        int n = value.length();
        if (n == 0 || n > 128) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            if (!alnum && (i == 0 || (c != '.' && c != '_' && c != ':' && c != '/' && c != '-'))) {
                return false;
            }
        }
        return true;
    }

    private static CorruptSlotRecordException corrupt(String key, String what) {
        return new CorruptSlotRecordException(key, "slot record '" + key + "' cannot be trusted: " + what
                + ". berth will not claim or overwrite this slot; inspect it in the store and fix or delete it by hand");
    }

    private static String shorten(String s) {
        if (s == null) {
            return "null";
        }
        var printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        var line = s.lines().findFirst().orElse("");
        return line.length() > 120 ? line.substring(0, 120) + "..." : line;
    }
}
