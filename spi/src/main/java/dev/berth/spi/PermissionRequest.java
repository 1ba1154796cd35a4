package dev.berth.spi;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What berth asks a plugin for its permissions with ({@code berth iam-policy}): the cluster, the plugin's own
 * settings, and what the rest of the configuration will ask of it, in berth's own terms. A plugin answers with the
 * {@link PolicyStatement}s its calls need for exactly that, and nothing for what is off.
 *
 * @param cluster        the cluster name (berth tags every resource it creates with it)
 * @param settings       the plugin's own settings (its section of the config)
 * @param region         the region the configuration names for the cloud, when it names one (the cloud provider's
 *                       {@code region} setting, else the claim store URI's {@code region=}); a plugin's own
 *                       region setting goes first
 * @param uses           the features of berth that are on
 * @param volumeKeyId    the key that encrypts the volumes ({@code volume.kmsKeyId}), when not the cloud's default
 * @param seedSnapshotId the snapshot new volumes are created from ({@code volume.seedSnapshot})
 * @param addressPool    the operator's address allocation ids ({@code network.elasticIpPool}), else empty
 */
public record PermissionRequest(String cluster, PluginConfig settings, Optional<String> region, Set<Use> uses,
                                Optional<String> volumeKeyId, Optional<String> seedSnapshotId, List<String> addressPool) {

    /** A feature of berth a plugin may need permissions for. */
    public enum Use {
        /** {@code crossZone: snapshot} or {@code latest-snapshot}: a slot moves to another zone through a snapshot. */
        SNAPSHOT_MOVES,
        /** {@code snapshots.everyMinutes}: {@code berth snapshot} snapshots the slot's volume and deletes expired ones. */
        PERIODIC_SNAPSHOTS,
        /** {@code whenFull: mark-unhealthy}. */
        MARK_UNHEALTHY,
        /** {@code whenFull: terminate-self}. */
        TERMINATE_SELF,
        /** {@code network.elasticIp}: an address per slot. */
        ELASTIC_IPS,
        /** {@code network.interface}: a network interface per slot. */
        INTERFACES,
        /**
         * The operator's day-2 commands besides what an instance runs: {@code berth gc} (deletes volumes and
         * snapshots), {@code berth release --force} (detaches a dead holder's volume), {@code berth status}.
         */
        OPERATOR
    }

    public PermissionRequest {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(region, "region");
        uses = uses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(uses));
        Objects.requireNonNull(volumeKeyId, "volumeKeyId");
        Objects.requireNonNull(seedSnapshotId, "seedSnapshotId");
        addressPool = List.copyOf(addressPool);
    }

    /** Only the cluster and the plugin's settings: every feature off. */
    public static PermissionRequest minimal(String cluster, PluginConfig settings) {
        return new PermissionRequest(cluster, settings, Optional.empty(), Set.of(), Optional.empty(), Optional.empty(),
                List.of());
    }

    public boolean uses(Use use) {
        return uses.contains(use);
    }

    /** The same request with another plugin's settings. */
    public PermissionRequest withSettings(PluginConfig other) {
        return new PermissionRequest(cluster, other, region, uses, volumeKeyId, seedSnapshotId, addressPool);
    }
}
