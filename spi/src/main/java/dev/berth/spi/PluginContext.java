package dev.berth.spi;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What berth hands a factory besides its settings: the cluster, the claim store (opened once
 * by berth, shared by every provider of the run, closed by berth; empty for a command that
 * opens none, such as {@code berth iam-policy}), the clock, a logger named for the plugin, and
 * berth's home folder. {@code local} is the instance id and zone given on the command line
 * ({@code --instance-id}, {@code --zone}) for providers without a metadata service, and
 * {@code capacity} the configured number of slots, when given.
 */
public record PluginContext(String cluster, PluginConfig settings, Optional<ClaimStore> store, PluginClock clock,
                            System.Logger logger, Path home, LocalInstance local, OptionalInt capacity) {

    public PluginContext {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(logger, "logger");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(capacity, "capacity");
    }

    /** The claim store, or a {@link ConfigException} naming the plugin that needs one. */
    public ClaimStore requireStore(String who) {
        return store.orElseThrow(() -> new ConfigException(who + " needs the claim store, which this command does not"
                + " open: run it through berth claim"));
    }

    /** The same context with other settings (another section of the config). */
    public PluginContext withSettings(PluginConfig other) {
        return new PluginContext(cluster, other, store, clock, logger, home, local, capacity);
    }

    /** This instance's id and zone as given on the command line, for providers that cannot ask the cloud. */
    public record LocalInstance(String instanceId, String zone) {
        public LocalInstance {
            Objects.requireNonNull(instanceId, "instanceId");
            Objects.requireNonNull(zone, "zone");
        }
    }
}
