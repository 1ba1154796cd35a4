package dev.berth.sim;

import dev.berth.core.plugin.ClaimRunner;
import dev.berth.core.plugin.ClaimRunnerFactory;
import dev.berth.spi.CloudProvider;
import dev.berth.spi.CloudProviderFactory;
import dev.berth.spi.ConfigException;
import dev.berth.spi.PluginConfig;
import dev.berth.spi.PluginContext;
import java.util.Set;

/**
 * {@code sim}: a one-node simulated cloud around the real claim store ({@link LocalClaim}). Its
 * cloud exists only inside that world, so {@code berth claim} runs it as a {@link ClaimRunner};
 * it takes no provider settings (the instance id and zone come from {@code --instance-id} and
 * {@code --zone}, or the config's {@code sim:} section).
 */
public final class SimProviderFactory implements CloudProviderFactory, ClaimRunnerFactory {

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public CloudProvider create(PluginConfig config) {
        throw new ConfigException("the sim provider's cloud exists only inside its one-node world: use it with"
                + " berth claim --provider sim, or run berth simulate");
    }

    /** The one-node world models addresses and interfaces per slot, as {@code berth simulate} does. */
    @Override
    public boolean slotNetwork() {
        return true;
    }

    @Override
    public ClaimRunner runner(PluginContext context) {
        context.settings().requireOnly(Set.of());
        var instanceId = context.local().instanceId();
        var zone = context.local().zone();
        return (settings, parts, onOutcome) -> {
            parts.log().info("provider sim: a one-node simulated cloud (instance " + instanceId + ", zone " + zone
                    + ") with the real store " + parts.store().describe());
            var outcome = LocalClaim.claim(settings, parts.store(), instanceId, zone, settings.capacity().orElse(1), 1,
                    parts.log(), parts.envFile());
            onOutcome.accept(outcome);
            return outcome;
        };
    }
}
