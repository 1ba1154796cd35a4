package dev.berth.spi;

import java.net.URI;

/** Opens a {@link ClaimStore} for one URI scheme ("file", "s3", "etcd", ...). */
public interface ClaimStoreFactory {
    String scheme();

    ClaimStore open(URI uri, PluginConfig config);
}
