package dev.berth.store.etcd;

import dev.berth.spi.ClaimStore;
import dev.berth.spi.Conflict;
import dev.berth.spi.DeleteResult;
import dev.berth.spi.Deleted;
import dev.berth.spi.StoreException;
import dev.berth.spi.StoreStats;
import dev.berth.spi.Versioned;
import dev.berth.spi.WriteResult;
import dev.berth.spi.Written;
import dev.berth.store.etcd.EtcdJson.KeyValue;
import dev.berth.store.etcd.EtcdJson.Target;
import dev.berth.store.etcd.EtcdJson.Txn;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A {@link ClaimStore} on etcd v3. A key's version is its {@code mod_revision} as a decimal
 * string: it is unique across the whole cluster's history, so it changes with every write and is
 * never reused after a delete (no ABA). Writes are single transactions:
 * <ul>
 *   <li>putIfAbsent: {@code if create_revision(k) == 0 then put else get}</li>
 *   <li>compareAndSet: {@code if mod_revision(k) == v then put else get}</li>
 *   <li>deleteIfVersion: {@code if mod_revision(k) == v then delete else get}</li>
 * </ul>
 * A version that is not a positive number can never match, so it is a conflict without a call
 * (and {@code mod_revision == 0}, which holds for a missing key, is never asked).
 * The calls go to etcd's v3 JSON gateway ({@link EtcdHttp}), not gRPC: no netty, no gRPC stack,
 * a fast first call.
 */
final class EtcdClaimStore implements ClaimStore {

    private final EtcdSettings settings;
    private final EtcdHttp http;

    private EtcdClaimStore(EtcdSettings settings, EtcdHttp http) {
        this.settings = settings;
        this.http = http;
    }

    static EtcdClaimStore open(EtcdSettings settings) {
        return new EtcdClaimStore(settings, EtcdHttp.open(settings));
    }

    @Override
    public Optional<Versioned> get(String key) {
        var range = EtcdJson.parseRange(http.post("/v3/kv/range", EtcdJson.range(stored(key), null), EtcdHttp.Kind.READ, "get", key));
        return range.kvs().stream().findFirst().map(this::versioned);
    }

    @Override
    public List<Versioned> list(String prefix) {
        byte[] from = stored(prefix);
        if (from.length == 0) {
            from = new byte[] {0}; // no root and no prefix: every key (etcd refuses an empty key)
        }
        var range = EtcdJson.parseRange(http.post("/v3/kv/range", EtcdJson.range(from, rangeEnd(from)), EtcdHttp.Kind.LIST, "list",
                prefix));
        if (range.more()) {
            throw new StoreException("etcd at " + settings.describe() + " returned a partial list of '" + prefix
                    + "'; the prefix holds more keys than one range read returns", false);
        }
        var result = new ArrayList<Versioned>(range.kvs().size());
        for (KeyValue keyValue : range.kvs()) {
            result.add(versioned(keyValue));
        }
        // etcd sorts by the stored bytes; the root prefix is common, so this is already key order
        result.sort(Comparator.comparing(Versioned::key));
        return result;
    }

    @Override
    public WriteResult putIfAbsent(String key, byte[] value) {
        return writeOutcome(txn("putIfAbsent", key, Target.CREATE, 0, value));
    }

    @Override
    public WriteResult compareAndSet(String key, String expectedVersion, byte[] value) {
        long revision = revision(expectedVersion);
        if (revision <= 0) {
            return Conflict.unknown();
        }
        return writeOutcome(txn("compareAndSet", key, Target.MOD, revision, value));
    }

    @Override
    public DeleteResult deleteIfVersion(String key, String expectedVersion) {
        long revision = revision(expectedVersion);
        if (revision <= 0) {
            return Conflict.unknown();
        }
        Txn response = txn("deleteIfVersion", key, Target.MOD, revision, null);
        return response.succeeded() ? new Deleted() : conflict(response);
    }

    private Txn txn(String operation, String key, Target target, long revision, byte[] value) {
        return EtcdJson.parseTxn(http.post("/v3/kv/txn", EtcdJson.txn(stored(key), target, revision, value),
                value == null ? EtcdHttp.Kind.DELETE : EtcdHttp.Kind.WRITE, operation, key));
    }

    private WriteResult writeOutcome(Txn response) {
        if (response.succeeded()) {
            // a transaction that writes raises the store's revision once: that is the key's mod_revision now
            return new Written(Long.toString(response.revision()));
        }
        return conflict(response);
    }

    private Conflict conflict(Txn response) {
        return new Conflict(response.read().stream().findFirst().map(this::versioned));
    }

    /** The revision a version names, or 0 when it names none (never matched: a conflict without a call). */
    private static long revision(String version) {
        if (version == null || version.isEmpty() || version.length() > 19 || !version.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        return Long.parseLong(version);
    }

    /** The end of the range of every key starting with {@code prefix}: the prefix with its last byte below 0xff raised. */
    static byte[] rangeEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xff) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return new byte[] {0}; // every key from the start key on
    }

    private Versioned versioned(KeyValue keyValue) {
        String stored = new String(keyValue.key(), StandardCharsets.UTF_8);
        if (!stored.startsWith(settings.root())) {
            throw new StoreException("etcd at " + settings.describe() + " returned key '" + stored
                    + "' outside the store's prefix '" + settings.root() + "'", false);
        }
        return new Versioned(stored.substring(settings.root().length()), keyValue.value(),
                Long.toString(keyValue.modRevision()));
    }

    private byte[] stored(String key) {
        return (settings.root() + key).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public StoreStats stats() {
        return http.stats();
    }

    @Override
    public String describe() {
        return settings.describe();
    }

    @Override
    public void close() {
        http.close();
    }
}
