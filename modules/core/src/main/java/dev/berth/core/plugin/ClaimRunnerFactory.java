package dev.berth.core.plugin;

import dev.berth.spi.PluginContext;

/**
 * Implemented, besides {@link dev.berth.spi.CloudProviderFactory}, by the factory of a provider
 * that runs its own claim ({@link ClaimRunner}). Found by name like every other provider.
 */
public interface ClaimRunnerFactory {

    /** The runner for one claim; bad settings are a {@link dev.berth.spi.ConfigException}. */
    ClaimRunner runner(PluginContext context);
}
