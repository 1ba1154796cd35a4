package dev.berth.key.passphrase;

import dev.berth.spi.KeyProvider;
import dev.berth.spi.KeyProviderFactory;
import dev.berth.spi.PluginConfig;

import java.nio.file.Path;

/** Name "passphrase": config key {@code file}, the path of a passphrase file readable only by its owner. */
public final class PassphraseKeyProviderFactory implements KeyProviderFactory {
    static final String FILE = "file";

    @Override
    public String name() {
        return "passphrase";
    }

    @Override
    public KeyProvider create(PluginConfig config) {
        config.requireOnly(java.util.Set.of(FILE));
        return new PassphraseKeyProvider(Path.of(config.require(FILE)));
    }
}
