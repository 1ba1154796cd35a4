package dev.berth.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The flags every day-2 command shares (status, gc, release): where the cluster, its store and its cloud are. */
final class FleetOptions {
    @Option(names = "--config", description = "The berth YAML config file (as for berth claim).")
    Path config;

    @Option(names = "--cluster", description = "The cluster name (config: cluster).")
    String cluster;

    @Option(names = "--provider", description = "The cloud provider: aws, static, sim (config: provider; default aws).")
    String provider;

    @Option(names = "--store", description = "The claim store URI (config: store).")
    String store;

    @Option(names = "--capacity", description = "The number of slots (config: capacity; default: the group's desired capacity).")
    Integer capacity;

    @Option(names = "--plugins", description = "The plugin folder (default: the image's plugins/).")
    String plugins;

    @Option(names = "--instance-id", description = "With --provider sim or static: the id to act as (default i-local).")
    String instanceId;

    @Option(names = "--zone", description = "With --provider sim or static: the zone (default local-a).")
    String zone;

    ClaimConfig resolve(Path defaultPlugins) {
        var file = config == null ? ConfigFile.empty() : ConfigFile.load(config);
        return ClaimConfig.resolve(file, new ClaimConfig.Flags(cluster, provider, store, capacity, null, plugins, null, null,
                instanceId, zone, null), defaultPlugins);
    }
}
