package dev.berth.store.s3;

import dev.berth.spi.PluginConfig;
import dev.berth.store.tck.TestServers;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The two S3 servers of the tests: S3Proxy (non-atomic If-Match) and single-threaded moto. */
enum S3TestServers {
    S3PROXY(TestServers.S3PROXY, "BERTH_TEST_S3PROXY_ACCESS_KEY", "berth-test", "BERTH_TEST_S3PROXY_SECRET_KEY", "berth-test-secret"),
    MOTO(TestServers.MOTO, "BERTH_TEST_MOTO_ACCESS_KEY", "testing", "BERTH_TEST_MOTO_SECRET_KEY", "testing");

    static final String BUCKET = "berth-test";

    private final String endpointVariable;
    private final String accessKeyVariable;
    private final String accessKeyFallback;
    private final String secretVariable;
    private final String secretFallback;

    S3TestServers(String endpointVariable, String accessKeyVariable, String accessKeyFallback, String secretVariable,
                  String secretFallback) {
        this.endpointVariable = endpointVariable;
        this.accessKeyVariable = accessKeyVariable;
        this.accessKeyFallback = accessKeyFallback;
        this.secretVariable = secretVariable;
        this.secretFallback = secretFallback;
    }

    URI endpoint() {
        return URI.create(TestServers.require(endpointVariable));
    }

    PluginConfig config() {
        return new PluginConfig("store", Map.of(
                "accessKeyId", TestServers.get(accessKeyVariable, accessKeyFallback),
                "secretAccessKey", TestServers.get(secretVariable, secretFallback)));
    }

    /** A store on a fresh prefix of the test bucket (created when missing). */
    S3ClaimStore open() {
        return open(config());
    }

    S3ClaimStore open(PluginConfig config) {
        return open(config, "berth-test-" + UUID.randomUUID().toString().substring(0, 8));
    }

    S3ClaimStore open(PluginConfig config, String prefix) {
        ensureBucket();
        var uri = URI.create("s3://" + BUCKET + "/" + prefix + "?region=us-east-1&pathStyle=true&endpoint=" + endpoint());
        return (S3ClaimStore) new S3ClaimStoreFactory().open(uri, config);
    }

    /** A plain SDK client on the same server, for probes and for planting hostile objects. */
    S3Client rawClient() {
        return rawClient(true);
    }

    /** With {@code retries} false, the SDK sends each request once (a probe counts what it sent). */
    S3Client rawClient(boolean retries) {
        return S3Client.builder()
                .overrideConfiguration(c -> {
                    if (!retries) {
                        c.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry());
                    }
                })
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        TestServers.get(accessKeyVariable, accessKeyFallback), TestServers.get(secretVariable, secretFallback))))
                .build();
    }

    void ensureBucket() {
        try (var s3 = rawClient()) {
            s3.createBucket(b -> b.bucket(BUCKET));
        } catch (BucketAlreadyOwnedByYouException e) {
            // there already
        } catch (S3Exception e) {
            if (e.statusCode() != 409) {
                throw e;
            }
        }
    }
}
