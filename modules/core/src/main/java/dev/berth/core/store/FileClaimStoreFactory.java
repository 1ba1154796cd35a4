package dev.berth.core.store;

import dev.berth.spi.BerthException;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.ClaimStoreFactory;
import dev.berth.spi.PluginConfig;
import java.net.URI;
import java.nio.file.Path;

/** {@code file:///var/lib/berth/store}: the embedded default store on a local directory. */
public final class FileClaimStoreFactory implements ClaimStoreFactory {

    @Override
    public String scheme() {
        return "file";
    }

    @Override
    public ClaimStore open(URI uri, PluginConfig config) {
        config.requireOnly(java.util.Set.of());
        if (uri.getPath() == null || uri.getPath().isEmpty() || (uri.getAuthority() != null && !uri.getAuthority().isEmpty())) {
            throw new BerthException("store URI '" + dev.berth.spi.Redaction.uri(uri) + "' does not name a local directory: write it as"
                    + " file:///absolute/path (three slashes)");
        }
        return FileClaimStore.open(Path.of(uri.getPath()));
    }
}
