package dev.berth.store.etcd;

import dev.berth.spi.ClaimStore;
import dev.berth.spi.Conflict;
import dev.berth.spi.DeleteResult;
import dev.berth.spi.Deleted;
import dev.berth.spi.StoreException;
import dev.berth.spi.Versioned;
import dev.berth.spi.WriteResult;
import dev.berth.spi.Written;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 */
final class EtcdClaimStore implements ClaimStore {

    private final EtcdSettings settings;
    private final Client client;
    private final KV kv;
    private final long timeoutMillis;

    private EtcdClaimStore(EtcdSettings settings, Client client) {
        this.settings = settings;
        this.client = client;
        this.kv = client.getKVClient();
        this.timeoutMillis = settings.timeout().toMillis();
    }

    static EtcdClaimStore open(EtcdSettings settings) {
        var builder = Client.builder()
                .endpoints(settings.endpoints())
                .connectTimeout(settings.connectTimeout())
                // jetcd's own retries stay inside our per-call bound
                .retryMaxDuration(settings.timeout())
                .retryMaxAttempts(3);
        settings.user().ifPresent(user -> builder.user(bytes(user)));
        settings.password().ifPresent(password -> {
            var encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
            var raw = new byte[encoded.remaining()];
            encoded.get(raw);
            builder.password(ByteSequence.from(raw));
        });
        if (settings.caFile().isPresent()) {
            try {
                builder.sslContext(ssl -> ssl.trustManager(settings.caFile().get().toFile()));
            } catch (javax.net.ssl.SSLException e) {
                throw new StoreException("cannot set up TLS for " + settings.describe() + " with CA file "
                        + settings.caFile().get() + ": " + e.getMessage() + "; check that the file holds PEM"
                        + " certificates", false, e);
            }
        }
        try {
            return new EtcdClaimStore(settings, builder.build());
        } catch (RuntimeException e) {
            throw new StoreException("cannot open the etcd client for " + settings.describe() + ": " + e.getMessage(),
                    false, e);
        }
    }

    @Override
    public Optional<Versioned> get(String key) {
        GetResponse response = await("get", key, kv.get(stored(key)));
        return response.getKvs().stream().findFirst().map(this::versioned);
    }

    @Override
    public List<Versioned> list(String prefix) {
        var option = GetOption.builder()
                .isPrefix(true)
                .withSortField(GetOption.SortTarget.KEY)
                .withSortOrder(GetOption.SortOrder.ASCEND)
                .build();
        GetResponse response = await("list", prefix, kv.get(stored(prefix), option));
        if (response.isMore()) {
            throw new StoreException("etcd at " + settings.describe() + " returned a partial list of '" + prefix
                    + "'; the prefix holds more keys than one range read returns", false);
        }
        var result = new ArrayList<Versioned>(response.getKvs().size());
        for (KeyValue keyValue : response.getKvs()) {
            result.add(versioned(keyValue));
        }
        // etcd sorts by the stored bytes; the root prefix is common, so this is already key order
        result.sort(Comparator.comparing(Versioned::key));
        return result;
    }

    @Override
    public WriteResult putIfAbsent(String key, byte[] value) {
        var k = stored(key);
        TxnResponse response = await("putIfAbsent", key, kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(k, ByteSequence.from(value), PutOption.DEFAULT))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit());
        return writeOutcome(response);
    }

    @Override
    public WriteResult compareAndSet(String key, String expectedVersion, byte[] value) {
        var revision = revision(expectedVersion);
        if (revision.isEmpty()) {
            return Conflict.unknown();
        }
        var k = stored(key);
        TxnResponse response = await("compareAndSet", key, kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(revision.get())))
                .Then(Op.put(k, ByteSequence.from(value), PutOption.DEFAULT))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit());
        return writeOutcome(response);
    }

    @Override
    public DeleteResult deleteIfVersion(String key, String expectedVersion) {
        var revision = revision(expectedVersion);
        if (revision.isEmpty()) {
            return Conflict.unknown();
        }
        var k = stored(key);
        TxnResponse response = await("deleteIfVersion", key, kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.modRevision(revision.get())))
                .Then(Op.delete(k, DeleteOption.DEFAULT))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit());
        return response.isSucceeded() ? new Deleted() : conflict(response);
    }

    private WriteResult writeOutcome(TxnResponse response) {
        if (response.isSucceeded()) {
            // a transaction that writes raises the store's revision once: that is the key's mod_revision now
            return new Written(Long.toString(response.getHeader().getRevision()));
        }
        return conflict(response);
    }

    private Conflict conflict(TxnResponse response) {
        return new Conflict(response.getGetResponses().stream()
                .flatMap(get -> get.getKvs().stream())
                .findFirst()
                .map(this::versioned));
    }

    private static Optional<Long> revision(String version) {
        if (version == null || version.isEmpty() || version.length() > 19 || !version.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        long revision = Long.parseLong(version);
        return revision > 0 ? Optional.of(revision) : Optional.empty();
    }

    private Versioned versioned(KeyValue keyValue) {
        String stored = keyValue.getKey().toString(StandardCharsets.UTF_8);
        if (!stored.startsWith(settings.root())) {
            throw new StoreException("etcd at " + settings.describe() + " returned key '" + stored
                    + "' outside the store's prefix '" + settings.root() + "'", false);
        }
        return new Versioned(stored.substring(settings.root().length()), keyValue.getValue().getBytes(),
                Long.toString(keyValue.getModRevision()));
    }

    private ByteSequence stored(String key) {
        return bytes(settings.root() + key);
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    private <T> T await(String operation, String key, CompletableFuture<T> call) {
        try {
            return call.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new StoreException("etcd at " + settings.describe() + " did not answer " + operation + " of '" + key
                    + "' within " + timeoutMillis + " ms; check that etcd runs and is reachable (a write may or may"
                    + " not have happened: re-read before deciding)", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            throw new StoreException("interrupted during " + operation + " of '" + key + "' on " + settings.describe(),
                    true, e);
        } catch (ExecutionException e) {
            throw EtcdFailures.translate(settings.describe(), operation, key, e.getCause() == null ? e : e.getCause());
        }
    }

    @Override
    public String describe() {
        return settings.describe();
    }

    @Override
    public void close() {
        client.close();
    }
}
