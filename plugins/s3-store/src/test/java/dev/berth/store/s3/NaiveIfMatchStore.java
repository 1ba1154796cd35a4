package dev.berth.store.s3;

import dev.berth.spi.ClaimStore;
import dev.berth.spi.Conflict;
import dev.berth.spi.DeleteResult;
import dev.berth.spi.Deleted;
import dev.berth.spi.StoreException;
import dev.berth.spi.Versioned;
import dev.berth.spi.WriteResult;
import dev.berth.spi.Written;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * NOT the product's store: the obvious S3 design (one object per key, ETag as version,
 * If-None-Match for create, If-Match for CAS and delete), written here so that StoreCheck can be
 * pointed at what a real server does with it. A write without an answer counts as lost.
 */
final class NaiveIfMatchStore implements ClaimStore {
    private final S3Client s3;
    private final String root;

    NaiveIfMatchStore(S3Client s3, String root) {
        this.s3 = s3;
        this.root = root;
    }

    @Override
    public Optional<Versioned> get(String key) {
        try {
            var object = s3.getObjectAsBytes(b -> b.bucket(S3TestServers.BUCKET).key(root + key));
            return Optional.of(new Versioned(key, object.asByteArray(), object.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<Versioned> list(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(S3TestServers.BUCKET).prefix(root + prefix)).contents().stream()
                .map(o -> get(o.key().substring(root.length())))
                .flatMap(Optional::stream)
                .toList();
    }

    @Override
    public WriteResult putIfAbsent(String key, byte[] value) {
        return put(key, value, null);
    }

    @Override
    public WriteResult compareAndSet(String key, String expectedVersion, byte[] value) {
        return put(key, value, expectedVersion);
    }

    private WriteResult put(String key, byte[] value, String ifMatch) {
        String writeId = UUID.randomUUID().toString();
        try {
            var response = s3.putObject(b -> {
                b.bucket(S3TestServers.BUCKET).key(root + key).metadata(Map.of("write-id", writeId));
                if (ifMatch == null) {
                    b.ifNoneMatch("*");
                } else {
                    b.ifMatch(ifMatch);
                }
            }, RequestBody.fromBytes(value));
            return new Written(response.eTag());
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409 || e.statusCode() == 404) {
                return Conflict.unknown();
            }
            throw new StoreException("naive store: " + e.getMessage(), true, e);
        } catch (SdkClientException e) {
            // no answer (S3Proxy often stores the object and still drops the reply): look whose it is
            try {
                var head = s3.headObject(b -> b.bucket(S3TestServers.BUCKET).key(root + key));
                return writeId.equals(head.metadata().get("write-id")) ? new Written(head.eTag()) : Conflict.unknown();
            } catch (S3Exception | SdkClientException again) {
                return Conflict.unknown();
            }
        }
    }

    @Override
    public DeleteResult deleteIfVersion(String key, String expectedVersion) {
        try {
            if (get(key).map(v -> !v.version().equals(expectedVersion)).orElse(true)) {
                return Conflict.unknown();
            }
            s3.deleteObject(b -> b.bucket(S3TestServers.BUCKET).key(root + key).ifMatch(expectedVersion));
            return new Deleted();
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409 || e.statusCode() == 404) {
                return Conflict.unknown();
            }
            throw new StoreException("naive store: " + e.getMessage(), true, e);
        } catch (SdkClientException e) {
            return Conflict.unknown();
        }
    }

    @Override
    public String describe() {
        return "naive If-Match layout on s3://" + S3TestServers.BUCKET + "/" + root;
    }
}
