package dev.berth.spi;

import java.net.URI;

/** Opens a {@link ClaimStore} for one URI scheme ("file", "s3", "etcd", ...). */
public interface ClaimStoreFactory {
    String scheme();

    ClaimStore open(URI uri, PluginConfig config);

    /**
     * The permissions this store's calls need on the store {@code uri} names ({@code berth iam-policy}); the
     * request's settings are the store's. None by default.
     */
    default java.util.List<PolicyStatement> permissions(URI uri, PermissionRequest request) {
        return java.util.List.of();
    }
}
