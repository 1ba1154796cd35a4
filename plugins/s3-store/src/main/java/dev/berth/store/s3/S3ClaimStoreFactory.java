package dev.berth.store.s3;

import dev.berth.spi.ClaimStore;
import dev.berth.spi.ClaimStoreFactory;
import dev.berth.spi.PermissionRequest;
import dev.berth.spi.PluginConfig;
import dev.berth.spi.PolicyStatement;
import java.net.URI;
import java.util.List;

/**
 * Opens an S3 claim store for {@code s3://bucket/prefix?region=us-east-1&endpoint=http://host:9000&pathStyle=true}.
 * Settings: {@code accessKeyId}/{@code secretAccessKey} (else the SDK's default chain),
 * {@code timeoutMillis}, {@code gcKeep}, {@code gcGraceSeconds}. See the plugin's README.
 */
public final class S3ClaimStoreFactory implements ClaimStoreFactory {

    @Override
    public String scheme() {
        return "s3";
    }

    @Override
    public ClaimStore open(URI uri, PluginConfig config) {
        return S3ClaimStore.open(S3Settings.parse(uri, config));
    }

    /** S3 on the store's bucket and prefix ({@link S3Permissions}). */
    @Override
    public List<PolicyStatement> permissions(URI uri, PermissionRequest request) {
        return S3Permissions.of(uri, request);
    }
}
