package dev.berth.store.s3;

import dev.berth.spi.ClaimStore;
import dev.berth.spi.Conflict;
import dev.berth.spi.DeleteResult;
import dev.berth.spi.Deleted;
import dev.berth.spi.Hinted;
import dev.berth.spi.Listed;
import dev.berth.spi.StoreException;
import dev.berth.spi.StoreStats;
import dev.berth.spi.Versioned;
import dev.berth.spi.WriteResult;
import dev.berth.spi.Written;
import dev.berth.store.s3.S3Requests.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link ClaimStore} on S3 in which every write is decided by a create-only PUT
 * ({@code If-None-Match: *}), the one conditional write that S3-compatible servers such as
 * S3Proxy 4.1.0 make atomic. A key is a run of immutable sequence objects
 * ({@link S3Layout}); its current value is the highest sequence, its version that sequence.
 * <ul>
 *   <li>putIfAbsent: no sequence yet, create 1; highest is a tombstone n, create n+1; else conflict</li>
 *   <li>compareAndSet(n): sequence n exists and holds a value, then create n+1</li>
 *   <li>deleteIfVersion(n): sequence n exists and holds a value, then create tombstone n+1</li>
 * </ul>
 * Sequences are gap-free (n+1 is only ever created by a writer who saw n), so "n exists and
 * n+1 does not" means n is current, and exactly one writer creates n+1. The README explains
 * stale readers and garbage collection.
 */
final class S3ClaimStore implements ClaimStore {

    static final String RECORD_METADATA = "berth-record";
    static final String VALUE = "value";
    static final String TOMBSTONE = "tombstone";
    static final String WRITE_ID_METADATA = "berth-write-id";
    private static final int WRITE_ATTEMPTS = 10;
    private static final int READ_ATTEMPTS = 5;
    private static final int HINTS_MAX = 10_000;
    private static final int SEEN_MAX = 20_000;
    private static final int HINT_ATTEMPTS = 5;
    /** How old a value without a hint must be before a reader keeps the hint for it (its writer had time to). */
    private volatile java.time.Duration hintSettle = java.time.Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger(S3ClaimStore.class.getName());

    private final S3Settings settings;
    private final S3Client s3;
    private final S3Layout layout;
    /** Per key, a sequence known to have existed: the highest is at least this (it only grows). */
    private final Map<String, Long> hints = new ConcurrentHashMap<>();
    private final S3Requests requests = new S3Requests();
    /**
     * Sequence objects this store has read or written, by object name. They are immutable (created
     * once, create-only, never overwritten), so a LIST that names a known object as a key's highest
     * needs no GET: a listing costs its LIST pages plus a GET per key that changed since.
     */
    private final Map<String, Record> seen = new ConcurrentHashMap<>();
    /** Per key, the newest hint object this store knows of: the one a new hint replaces. */
    private final Map<String, S3Layout.HintEntry> hintObjects = new ConcurrentHashMap<>();

    S3ClaimStore(S3Settings settings, S3Client s3) {
        this.settings = settings;
        this.s3 = s3;
        this.layout = new S3Layout(settings.root());
    }

    /** For tests: how old a value without a hint must be before a listing keeps its hint (30 s). */
    S3ClaimStore hintSettle(java.time.Duration settle) {
        this.hintSettle = settle;
        return this;
    }

    static S3ClaimStore open(S3Settings settings) {
        try {
            var builder = S3Client.builder()
                    // explicit: the SDK's ServiceLoader search for an HTTP client does not see plugin layers
                    .httpClient(UrlConnectionHttpClient.builder()
                            .connectionTimeout(settings.timeout())
                            .socketTimeout(settings.timeout())
                            .build())
                    .region(Region.of(settings.region()))
                    .forcePathStyle(settings.pathStyle())
                    .credentialsProvider(credentials(settings))
                    // S3-compatible servers reject the SDK's newer default checksum headers
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    // no SDK retries: a retried create-only PUT whose first attempt landed would
                    // report 412 for our own write; this class decides what to retry
                    .overrideConfiguration(c -> c.apiCallTimeout(settings.timeout())
                            .retryStrategy(AwsRetryStrategy.doNotRetry()));
            settings.endpoint().ifPresent(builder::endpointOverride);
            return new S3ClaimStore(settings, builder.build());
        } catch (SdkException | IllegalArgumentException e) {
            throw new StoreException("cannot set up the S3 client for " + settings.describe() + ": " + e.getMessage()
                    + "; check the region, endpoint and credentials settings", false, e);
        }
    }

    private static AwsCredentialsProvider credentials(S3Settings settings) {
        if (settings.accessKeyId().isPresent()) {
            var id = settings.accessKeyId().get();
            var secret = settings.secretAccessKey().orElseThrow();
            return StaticCredentialsProvider.create(settings.sessionToken()
                    .<software.amazon.awssdk.auth.credentials.AwsCredentials>map(t -> AwsSessionCredentials.create(id, secret, t))
                    .orElseGet(() -> AwsBasicCredentials.create(id, secret)));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    // ---- reads -----------------------------------------------------------------------------

    @Override
    public Optional<Versioned> get(String key) {
        checkKey(key);
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            var highest = highest(key);
            if (highest.isEmpty()) {
                return Optional.empty();
            }
            var record = fetch(key, highest.getAsLong());
            if (record.isPresent()) {
                return record.get().live();
            }
            // the sequence we listed is gone: a newer one exists and garbage collection took it; list again
        }
        throw new StoreException("the sequence objects of key '" + key + "' in " + settings.describe()
                + " kept vanishing while being read; is something other than berth deleting objects under "
                + layout.versionsPrefix(key) + "?", true);
    }

    @Override
    public List<Versioned> list(String prefix) {
        var result = new ArrayList<Versioned>();
        for (var top : highestByKey(prefix).values()) {
            var record = fetch(top.key(), top.sequence());
            if (record.isPresent()) {
                record.get().live().ifPresent(result::add);
            } else {
                get(top.key()).ifPresent(result::add);
            }
        }
        return result;
    }

    /**
     * The LIST pages alone, no GET per key: a key's version is its highest sequence. A tombstone is
     * an empty object, so only a highest sequence of size 0 (a tombstone, or a value of no bytes)
     * is read to tell which.
     */
    @Override
    public List<Listed> listVersions(String prefix) {
        var result = new ArrayList<Listed>();
        for (var top : highestByKey(prefix).values()) {
            if (top.size() > 0 || holdsValue(top.key(), top.sequence())) {
                result.add(new Listed(top.key(), Long.toString(top.sequence())));
            }
        }
        return result;
    }

    /** One GET of the sequence object {@code version} names; empty when it is a tombstone or gone. */
    @Override
    public Optional<Versioned> getVersion(String key, String version) {
        checkKey(key);
        return S3Layout.version(version).flatMap(sequence -> fetch(key, sequence)).flatMap(Record::live);
    }

    @Override
    public StoreStats stats() {
        return requests.stats();
    }

    /**
     * One LIST of the values (every key and its highest sequence) and one of the hints, then a GET
     * only of a key whose highest sequence has no hint (written without one, or by a writer that
     * stopped between its value and its hint): that hint is derived with {@code hintOf} and kept, so
     * the next listing does not read the value again. A hint never decides anything; the version
     * returned is the highest sequence the value LIST saw, exactly as {@link #listVersions}.
     */
    @Override
    public List<Hinted> listHinted(String prefix, Function<byte[], String> hintOf) {
        var tops = highestByKey(prefix);
        var hinted = hintsByKey(prefix);
        var result = new ArrayList<Hinted>();
        for (var top : tops.values()) {
            var hint = hinted.get(top.key());
            if (hint != null && hint.sequence() == top.sequence() && top.size() > 0) {
                boundHintObjects();
                hintObjects.merge(top.key(), hint, (a, b) -> a.sequence() >= b.sequence() ? a : b);
                result.add(new Hinted(top.key(), Long.toString(top.sequence()), Optional.of(hint.hint()), Optional.empty()));
                continue;
            }
            var record = fetch(top.key(), top.sequence());
            Optional<Versioned> value = record.isPresent() ? record.get().live() : get(top.key());
            if (value.isEmpty()) {
                continue;   // a tombstone: the key is absent
            }
            // a young value's own writer is likely still about to write its hint: only an older one is healed
            boolean settled = top.lastModified() == null || top.lastModified().isBefore(Instant.now().minus(hintSettle));
            if (settled) {
                var derived = hintOf.apply(value.get().value());
                S3Layout.version(value.get().version()).ifPresent(sequence -> keepHint(top.key(), sequence, derived));
            }
            result.add(new Hinted(top.key(), value.get().version(), Optional.empty(), value));
        }
        return result;
    }

    /** Every key's newest hint under {@code prefix}, from one LIST of the hints. */
    private Map<String, S3Layout.HintEntry> hintsByKey(String prefix) {
        var newest = new TreeMap<String, S3Layout.HintEntry>();
        // anything else under the hints is ignored: a hint is only a guide, and a key without one is read
        forEachObject(layout.hintsPrefix(prefix), null, "list hints", prefix, object -> layout.parseHint(object.key())
                .filter(h -> h.key().startsWith(prefix))
                .ifPresent(h -> newest.merge(h.key(), h, (a, b) -> a.sequence() >= b.sequence() ? a : b)));
        return newest;
    }

    /**
     * Keeps {@code hint} for sequence {@code sequence} of {@code key} and drops the hint it replaces,
     * best effort: a hint that is missing or left behind costs a later listing one GET, never a wrong answer.
     */
    private void keepHint(String key, long sequence, String hint) {
        if (hint == null || hint.length() > HINT_MAX_CHARS || !hint.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return;
        }
        var object = layout.hintObject(key, sequence, hint);
        if (object.isEmpty()) {
            return;
        }
        // the PUT is idempotent (the same empty object under a name the immutable value decides), so an
        // answer lost on the way back (S3Proxy drops some) is simply sent again
        for (int attempt = 1; attempt <= HINT_ATTEMPTS; attempt++) {
            try {
                requests.count(Kind.WRITE);
                s3.putObject(b -> b.bucket(settings.bucket()).key(object.get()).contentLength(0L), RequestBody.empty());
                break;
            } catch (SdkException e) {
                if (attempt == HINT_ATTEMPTS) {
                    LOG.log(System.Logger.Level.DEBUG, "keeping the hint of key ''{0}'' in {1} failed (a listing reads"
                            + " its value instead): {2}", key, settings.describe(), e.getMessage());
                    return;
                }
                pause(attempt);
            }
        }
        boundHintObjects();
        var before = hintObjects.put(key, new S3Layout.HintEntry(key, sequence, hint, object.get()));
        if (before != null && before.sequence() < sequence) {
            try {
                requests.count(Kind.DELETE);
                s3.deleteObject(b -> b.bucket(settings.bucket()).key(before.object()));
            } catch (SdkException e) {
                // left behind: a listing ignores a hint below the newest, and garbage collection takes it
            }
        }
    }

    /** Bounded as the other memories: a hint forgotten is one that garbage collection deletes instead. */
    private void boundHintObjects() {
        if (hintObjects.size() > HINTS_MAX) {
            hintObjects.clear();
        }
    }

    /** A key's highest sequence object as a LIST shows it. */
    private record Top(String key, long sequence, long size, Instant lastModified) {
    }

    /** Every key under {@code prefix} with its highest sequence, from one strongly consistent LIST of the prefix. */
    private TreeMap<String, Top> highestByKey(String prefix) {
        var highest = new TreeMap<String, Top>();
        forEachObject(layout.keysPrefix(prefix), null, "list", prefix, object -> {
            if (layout.isServerTemporary(object.key()) || layout.isHint(object.key())) {
                return;
            }
            var entry = layout.parse(object.key()).orElseThrow(() -> new StoreException("object '" + object.key()
                    + "' in bucket '" + settings.bucket() + "' lies under the claim store's prefix but does not follow"
                    + " its layout <key>/v/<20-digit sequence>; move it out of '" + settings.root() + "' (berth"
                    + " never overwrites it)", false));
            if (entry.key().startsWith(prefix)) {
                var top = new Top(entry.key(), entry.sequence(), object.size() == null ? 0 : object.size(),
                        object.lastModified());
                highest.merge(entry.key(), top, (a, b) -> a.sequence() >= b.sequence() ? a : b);
            }
        });
        return highest;
    }

    // ---- writes ----------------------------------------------------------------------------

    @Override
    public WriteResult putIfAbsent(String key, byte[] value) {
        return putIfAbsent(key, value, null);
    }

    @Override
    public WriteResult putIfAbsent(String key, byte[] value, String hint) {
        checkKey(key);
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            var highest = highest(key);
            if (highest.isEmpty()) {
                return create(key, 1, value, VALUE, hint);
            }
            var record = fetch(key, highest.getAsLong());
            if (record.isEmpty()) {
                continue; // collected under us: a newer sequence exists, look again
            }
            if (record.get().tombstone()) {
                return create(key, highest.getAsLong() + 1, value, VALUE, hint);
            }
            return new Conflict(record.get().live());
        }
        return Conflict.unknown();
    }

    @Override
    public WriteResult compareAndSet(String key, String expectedVersion, byte[] value) {
        return compareAndSet(key, expectedVersion, value, null);
    }

    @Override
    public WriteResult compareAndSet(String key, String expectedVersion, byte[] value, String hint) {
        checkKey(key);
        var sequence = S3Layout.version(expectedVersion);
        if (sequence.isEmpty() || !holdsValue(key, sequence.get())) {
            return Conflict.unknown();
        }
        return create(key, sequence.get() + 1, value, VALUE, hint);
    }

    @Override
    public DeleteResult deleteIfVersion(String key, String expectedVersion) {
        checkKey(key);
        var sequence = S3Layout.version(expectedVersion);
        if (sequence.isEmpty() || !holdsValue(key, sequence.get())) {
            return Conflict.unknown();
        }
        return create(key, sequence.get() + 1, new byte[0], TOMBSTONE, null) instanceof Written ? new Deleted() : Conflict.unknown();
    }

    /** Sequence {@code n} of {@code key} exists and is a value (not a tombstone). */
    private boolean holdsValue(String key, long sequence) {
        String object = layout.object(key, sequence);
        try {
            var head = call(Kind.READ, "read", key, () -> s3.headObject(b -> b.bucket(settings.bucket()).key(object)));
            return !kind(key, object, head.metadata()).equals(TOMBSTONE);
        } catch (NotFound e) {
            return false;
        }
    }

    /**
     * The create-only PUT that decides every write: exactly one writer creates a sequence. Each
     * PUT carries a fresh write id, so an answer lost on the way back (a dropped connection, a
     * timeout) is resolved by reading the object: ours, someone else's, or not there (then the
     * PUT is sent again; it is create-only, so a late duplicate can only get 412).
     */
    private WriteResult create(String key, long sequence, byte[] body, String kind, String hint) {
        String object = layout.object(key, sequence);
        String writeId = UUID.randomUUID().toString();
        SdkException lastAmbiguous = null;
        for (int attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
            try {
                requests.count(Kind.WRITE);
                s3.putObject(b -> b.bucket(settings.bucket()).key(object).ifNoneMatch("*")
                        .metadata(Map.of(RECORD_METADATA, kind, WRITE_ID_METADATA, writeId))
                        .contentLength((long) body.length), RequestBody.fromBytes(body));
                remember(object, new Record(key, sequence, body.clone(), kind.equals(TOMBSTONE)));
                return created(key, sequence, hint);
            } catch (S3Exception e) {
                if (e.statusCode() == 412) {
                    // someone created this sequence first; after an unanswered attempt of ours that
                    // someone may be our own earlier PUT, landing late (it was delayed past our timeout
                    // and past the look below): the write id says whose it is
                    return lastAmbiguous == null ? Conflict.unknown() : ownerAfterConflict(key, sequence, object, writeId, e, hint);
                }
                if (e.statusCode() != 409 && !S3Failures.translate(settings, "write", key, object, e, true).retryable()) {
                    throw S3Failures.translate(settings, "write", key, object, e, true);
                }
                // 409 ConditionalRequestConflict: a concurrent conditional write to this object was in
                // flight and ours was not applied; 5xx: unknown. Look, then ask again after a pause.
                lastAmbiguous = e;
            } catch (SdkException e) {
                lastAmbiguous = e; // no answer: the PUT may or may not have landed
            }
            var owner = writeIdOf(key, object);
            if (owner.isPresent()) {
                return owner.get().equals(writeId) ? created(key, sequence, hint) : Conflict.unknown();
            }
            pause(attempt);
        }
        throw S3Failures.translate(settings, "write", key, object, lastAmbiguous, true);
    }

    /** A 412 after an unanswered attempt: ours (it landed late), another writer's, or gone (not decidable). */
    private WriteResult ownerAfterConflict(String key, long sequence, String object, String writeId,
                                           S3Exception conflict, String hint) {
        var owner = writeIdOf(key, object);
        if (owner.isEmpty()) {
            // it existed a moment ago and garbage collection took it: whether it was ours cannot be told
            throw new StoreException("writing key '" + key + "' to " + settings.describe() + ": the answer to a PUT of "
                    + object + " was lost and the object was collected before its writer could be read; the write may"
                    + " or may not have taken effect; read the key again", true, conflict);
        }
        return owner.get().equals(writeId) ? created(key, sequence, hint) : Conflict.unknown();
    }

    private Written created(String key, long sequence, String hint) {
        hint(key, sequence);
        keepHint(key, sequence, hint);
        collectGarbageAfter(key, sequence);
        return new Written(Long.toString(sequence));
    }

    /** The write id of an existing sequence object; empty when it does not exist. */
    private Optional<String> writeIdOf(String key, String object) {
        try {
            var head = call(Kind.READ, "read", key, () -> s3.headObject(b -> b.bucket(settings.bucket()).key(object)));
            kind(key, object, head.metadata());
            return Optional.of(head.metadata().getOrDefault(WRITE_ID_METADATA, ""));
        } catch (NotFound e) {
            return Optional.empty();
        }
    }

    // ---- the layout's reads ----------------------------------------------------------------

    /** A fetched sequence object: its value, or a tombstone. */
    private record Record(String key, long sequence, byte[] value, boolean tombstone) {
        Optional<Versioned> live() {
            return tombstone ? Optional.empty() : Optional.of(new Versioned(key, value, Long.toString(sequence)));
        }
    }

    /**
     * Sequence {@code sequence} of {@code key}: from {@link #seen} when this store read or wrote it
     * before (a sequence object is written once and never changed), else one GET.
     */
    private Optional<Record> fetch(String key, long sequence) {
        String object = layout.object(key, sequence);
        var known = seen.get(object);
        if (known != null) {
            return Optional.of(known);
        }
        try {
            var response = call(Kind.READ, "read", key, () -> s3.getObjectAsBytes(b -> b.bucket(settings.bucket()).key(object)));
            String kind = kind(key, object, response.response().metadata());
            return Optional.of(remember(object, new Record(key, sequence, response.asByteArray(), kind.equals(TOMBSTONE))));
        } catch (NotFound e) {
            return Optional.empty();
        }
    }

    private Record remember(String object, Record record) {
        if (seen.size() >= SEEN_MAX) {
            seen.clear();
        }
        seen.put(object, record);
        return record;
    }

    private String kind(String key, String object, Map<String, String> metadata) {
        String kind = metadata.get(RECORD_METADATA);
        if (VALUE.equals(kind) || TOMBSTONE.equals(kind)) {
            return kind;
        }
        throw new StoreException("object '" + object + "' of key '" + key + "' in bucket '" + settings.bucket()
                + "' was not written by berth's S3 store (metadata x-amz-meta-" + RECORD_METADATA + " is "
                + (kind == null ? "missing" : "'" + kind + "'") + ", expected 'value' or 'tombstone'); berth will not"
                + " read or overwrite it: remove the objects under '" + layout.versionsPrefix(key)
                + "' or use another prefix", false);
    }

    /** The highest sequence of {@code key}, from a strongly consistent LIST. */
    private OptionalLong highest(String key) {
        Long hint = hints.get(key);
        var found = highestFrom(key, hint == null || hint <= 1 ? null : layout.object(key, hint - 1));
        if (found.isEmpty() && hint != null) {
            found = highestFrom(key, null); // someone removed objects by hand: list from the start
        }
        found.ifPresent(h -> hint(key, h));
        return found;
    }

    private OptionalLong highestFrom(String key, String startAfter) {
        var highest = new long[1];
        // objects of other keys below this one ("K/v/…/v/…") are not sequences of K
        forEachObject(layout.versionsPrefix(key), startAfter, "read", key, object -> layout.sequenceOf(key, object.key())
                .ifPresent(sequence -> highest[0] = Math.max(highest[0], sequence)));
        return highest[0] == 0 ? OptionalLong.empty() : OptionalLong.of(highest[0]);
    }

    private void hint(String key, long sequence) {
        if (hints.size() > HINTS_MAX) {
            hints.clear();
        }
        hints.merge(key, sequence, Math::max);
    }

    // ---- garbage collection ----------------------------------------------------------------

    private void collectGarbageAfter(String key, long sequence) {
        if (settings.gcKeep() > 0 && sequence % settings.gcKeep() == 0 && sequence > settings.gcKeep() + 1) {
            try {
                collectGarbage(key);
                collectHints(key);
            } catch (RuntimeException e) {
                // best effort, but said: a policy without s3:DeleteObject would let old versions pile up unseen
                LOG.log(System.Logger.Level.WARNING, "garbage collection of key ''{0}'' in {1} failed, old versions"
                        + " stay (the role needs s3:DeleteObject on the prefix): {2}", key, settings.describe(),
                        e.getMessage());
            }
        }
    }

    /**
     * Deletes old sequences of {@code key}: only those with at least {@code gcKeep} newer
     * sequences, last modified longer than {@code gcGrace} ago, and never sequence 1 (which
     * keeps a stale "key absent" create from succeeding) nor the newest {@code gcKeep}
     * (so never the highest, and never a tombstone that is the highest). Returns how many it deleted.
     */
    int collectGarbage(String key) {
        var sequences = new TreeMap<Long, Instant>();
        forEachObject(layout.versionsPrefix(key), null, "read", key,
                object -> layout.sequenceOf(key, object.key()).ifPresent(s -> sequences.put(s, object.lastModified())));
        if (sequences.isEmpty()) {
            return 0;
        }
        long highest = sequences.lastKey();
        Instant cutoff = Instant.now().minus(settings.gcGrace());
        int deleted = 0;
        for (var entry : sequences.entrySet()) {
            long sequence = entry.getKey();
            boolean oldEnough = entry.getValue() == null || !entry.getValue().isAfter(cutoff);
            if (sequence != 1 && sequence <= highest - settings.gcKeep() && highest - sequence >= 2 && oldEnough) {
                String object = layout.object(key, sequence);
                call(Kind.DELETE, "collect", key, () -> s3.deleteObject(b -> b.bucket(settings.bucket()).key(object)));
                deleted++;
            }
        }
        return deleted;
    }

    /** Deletes the hints of {@code key} below its newest one (left behind by writers that did not know them). */
    int collectHints(String key) {
        var hints = new ArrayList<S3Layout.HintEntry>();
        forEachObject(layout.hintsPrefix(key + "/"), null, "collect", key,
                object -> layout.parseHint(object.key()).filter(h -> h.key().equals(key)).ifPresent(hints::add));
        long newest = hints.stream().mapToLong(S3Layout.HintEntry::sequence).max().orElse(0);
        int deleted = 0;
        for (var hint : hints) {
            if (hint.sequence() < newest) {
                call(Kind.DELETE, "collect", key, () -> s3.deleteObject(b -> b.bucket(settings.bucket()).key(hint.object())));
                deleted++;
            }
        }
        return deleted;
    }

    // ---- plumbing --------------------------------------------------------------------------

    /** Every object under {@code prefix} (after {@code startAfter}, if given), page by page, each one LIST request. */
    private void forEachObject(String prefix, String startAfter, String operation, String key, Consumer<S3Object> each) {
        String continuation = null;
        do {
            var request = ListObjectsV2Request.builder().bucket(settings.bucket()).prefix(prefix);
            if (continuation != null) {
                request.continuationToken(continuation);
            } else if (startAfter != null) {
                request.startAfter(startAfter);
            }
            ListObjectsV2Response page = call(Kind.LIST, operation, key, () -> s3.listObjectsV2(request.build()));
            page.contents().forEach(each);
            continuation = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (continuation != null);
    }

    /** Thrown inside this class for 404s, so reads can tell "gone" from "failed". */
    private static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound() {
            super(null, null, false, false);
        }
    }

    private <T> T call(Kind kind, String operation, String key, Supplier<T> request) {
        for (int attempt = 1; ; attempt++) {
            try {
                requests.count(kind);
                return request.get();
            } catch (NoSuchKeyException e) {
                throw new NotFound();
            } catch (S3Exception e) {
                if (e.statusCode() == 404 && !"NoSuchBucket".equals(errorCode(e))) {
                    throw new NotFound();
                }
                var failure = S3Failures.translate(settings, operation, key, null, e, false);
                if (!failure.retryable() || attempt >= READ_ATTEMPTS) {
                    throw failure;
                }
                pause(attempt);
            } catch (SdkException e) {
                var failure = S3Failures.translate(settings, operation, key, null, e, false);
                if (!failure.retryable() || attempt >= READ_ATTEMPTS) {
                    throw failure;
                }
                pause(attempt);
            }
        }
    }

    static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    private static void pause(int attempt) {
        long bound = Math.min(1000, 25L << Math.min(attempt, 5));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(bound / 2, bound + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to retry an S3 call", true, e);
        }
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty() || key.endsWith("/")) {
            throw new IllegalArgumentException("a claim store key must be a non-empty path not ending in '/', got '" + key + "'");
        }
        if (key.startsWith(S3Layout.HINTS)) {
            throw new IllegalArgumentException("the S3 claim store keeps its hints under '" + S3Layout.HINTS
                    + "': a key may not start with it, got '" + key + "'");
        }
    }

    @Override
    public String describe() {
        return settings.describe();
    }

    @Override
    public void close() {
        s3.close();
    }
}
