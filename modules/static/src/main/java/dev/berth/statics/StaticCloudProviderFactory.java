package dev.berth.statics;

import dev.berth.core.claim.Ticker;
import dev.berth.core.plugin.ClaimRunner;
import dev.berth.core.plugin.ClaimRunnerFactory;
import dev.berth.spi.BerthException;
import dev.berth.spi.CloudProvider;
import dev.berth.spi.CloudProviderFactory;
import dev.berth.spi.ConfigException;
import dev.berth.spi.PluginClock;
import dev.berth.spi.PluginConfig;
import dev.berth.spi.PluginContext;

/**
 * {@code static}: bare metal. The provider needs the claim store (the instances' leases live
 * there), so it is made from a {@link PluginContext} only. {@code berth claim} runs its claim
 * through {@link #runner}, which keeps the lease for as long as the slot is held.
 */
public final class StaticCloudProviderFactory implements CloudProviderFactory, ClaimRunnerFactory {
    static final String NAME = "static";
    /** The instance id ClaimConfig gives when none is set; then the provider's own setting is required. */
    private static final String NO_INSTANCE_ID = "i-local";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CloudProvider create(PluginConfig config) {
        throw new ConfigException("the static provider keeps its instances' leases in the claim store, so it is made"
                + " with berth's plugin context (create(PluginContext)), not with its settings alone");
    }

    @Override
    public CloudProvider create(PluginContext context) {
        return new StaticCloudProvider(context.requireStore("the static provider"), settings(context), ticker(context.clock()));
    }

    @Override
    public ClaimRunner runner(PluginContext context) {
        return new StaticClaim(settings(context), context.settings().get("workload-unit").orElse(null),
                ticker(context.clock()));
    }

    /** The provider settings with the command line's instance id, zone and capacity where the settings give none. */
    static StaticSettings settings(PluginContext context) {
        var p = context.settings();
        if (p.get("instance-id").isEmpty() && !context.local().instanceId().equals(NO_INSTANCE_ID)) {
            p = p.with("instance-id", context.local().instanceId());
        }
        if (p.get("zone").isEmpty()) {
            p = p.with("zone", context.local().zone());
        }
        if (p.get("capacity").isEmpty() && context.capacity().isPresent()) {
            p = p.with("capacity", Integer.toString(context.capacity().getAsInt()));
        }
        try {
            return StaticSettings.fromConfig(context.cluster(), p).requireMember();
        } catch (NumberFormatException e) {
            throw new ConfigException("providerSettings.capacity is not a whole number: give the number of slots");
        } catch (ConfigException e) {
            throw e;
        } catch (BerthException e) {
            // every static setting is input: a bad one is exit 2, before anything is claimed
            throw new ConfigException(e.getMessage());
        }
    }

    private static Ticker ticker(PluginClock clock) {
        return clock instanceof Ticker ticker ? ticker : new Ticker() {
            @Override
            public long nowMillis() {
                return clock.nowMillis();
            }

            @Override
            public void sleep(long millis) {
                clock.sleep(millis);
            }

            @Override
            public long jitter(long boundMillis) {
                return clock.jitter(boundMillis);
            }
        };
    }
}
