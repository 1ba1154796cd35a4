package dev.berth.cli;

import dev.berth.core.claim.Ticker;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.PluginConfig;
import dev.berth.spi.PluginContext;
import java.util.Optional;

/** The {@link PluginContext} berth hands a factory: one per provider, around the one claim store of the run. */
final class PluginContexts {
    private PluginContexts() {
    }

    /** {@code store} may be null for a command that opens none; {@code name} names the logger. */
    static PluginContext of(ClaimConfig resolved, PluginConfig settings, ClaimStore store, BerthHome home, String name) {
        return new PluginContext(resolved.settings().cluster(), settings, Optional.ofNullable(store), Ticker.system(),
                System.getLogger("berth.plugin." + name), home.root(), new PluginContext.LocalInstance(
                resolved.instanceId(), resolved.zone()), resolved.settings().capacity());
    }
}
