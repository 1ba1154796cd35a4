package dev.berth.statics;

import dev.berth.core.slot.SlotKeys;
import dev.berth.spi.BerthException;
import dev.berth.spi.PluginConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The static provider's settings: who this machine is and who its peers are.
 *
 * @param cluster        the cluster whose slots and leases this instance shares
 * @param instanceId     this machine's (or process's) id, unique in the cluster
 * @param zone           this machine's zone; volumes are local directories, so they live in it
 * @param region         a label only (default {@value #DEFAULT_REGION})
 * @param members        the cluster's instance ids; empty means "every instance with a lease record"
 * @param capacity       the number of slots (the group's desired capacity)
 * @param leaseTtlMillis how long a lease lives without renewal (default {@value #DEFAULT_LEASE_TTL_MILLIS} ms)
 * @param dataRoot       where directory volumes live (default {@code /var/lib/berth/volumes})
 */
public record StaticSettings(
        String cluster,
        String instanceId,
        String zone,
        String region,
        List<String> members,
        int capacity,
        long leaseTtlMillis,
        Path dataRoot) {

    public static final String DEFAULT_REGION = "local";
    public static final long DEFAULT_LEASE_TTL_MILLIS = 30_000;
    public static final Path DEFAULT_DATA_ROOT = Path.of("/var/lib/berth/volumes");
    static final long MIN_LEASE_TTL_MILLIS = 1_000;
    static final long MAX_LEASE_TTL_MILLIS = 3_600_000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,79}");

    public StaticSettings {
        SlotKeys.validCluster(cluster);
        validName("instance id", instanceId, "--instance-id", "mini-pc-1");
        validName("zone", zone, "--zone", "home-rack-a");
        validName("region", region, "region", DEFAULT_REGION);
        Objects.requireNonNull(members, "members");
        var distinct = new LinkedHashSet<String>();
        for (var member : members) {
            validName("member instance id", member, "members", "mini-pc-2");
            if (!distinct.add(member)) {
                throw new BerthException("member '" + member + "' is listed twice in the static provider's members:"
                        + " list every instance id once");
            }
        }
        members = List.copyOf(distinct);
        if (capacity < 1 || capacity > SlotKeys.MAX_SLOTS) {
            throw new BerthException("capacity " + capacity + " of the static provider is out of range: give 1 to "
                    + SlotKeys.MAX_SLOTS);
        }
        if (leaseTtlMillis < MIN_LEASE_TTL_MILLIS || leaseTtlMillis > MAX_LEASE_TTL_MILLIS) {
            throw new BerthException("lease TTL " + leaseTtlMillis + " ms is out of range: give " + MIN_LEASE_TTL_MILLIS
                    + " to " + MAX_LEASE_TTL_MILLIS + " ms (default " + DEFAULT_LEASE_TTL_MILLIS + ")");
        }
        Objects.requireNonNull(dataRoot, "dataRoot");
        if (!dataRoot.isAbsolute()) {
            throw new BerthException("volume data root '" + dataRoot + "' is not an absolute path: write it as "
                    + DEFAULT_DATA_ROOT);
        }
        dataRoot = dataRoot.normalize();
    }

    /** The defaults: region "local", every lease holder a member, a 30 s lease, volumes under /var/lib/berth/volumes. */
    public static StaticSettings of(String cluster, String instanceId, String zone, int capacity) {
        return new StaticSettings(cluster, instanceId, zone, DEFAULT_REGION, List.of(), capacity,
                DEFAULT_LEASE_TTL_MILLIS, DEFAULT_DATA_ROOT);
    }

    /** Every key {@link #fromConfig} reads; any other is an error. */
    public static final java.util.Set<String> KEYS = java.util.Set.of("instance-id", "zone", "region", "members",
            "capacity", "lease-ttl-millis", "data-root", "workload-unit");

    /**
     * From the provider's config section: {@code instance-id}, {@code zone} (required), {@code region},
     * {@code members} (comma-separated), {@code capacity} (required), {@code lease-ttl-millis}, {@code data-root}.
     */
    public static StaticSettings fromConfig(String cluster, PluginConfig config) {
        config.requireOnly(KEYS);
        var members = config.get("members")
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
        long ttl;
        var ttlText = config.get("lease-ttl-millis").orElse(Long.toString(DEFAULT_LEASE_TTL_MILLIS));
        try {
            ttl = Long.parseLong(ttlText.trim());
        } catch (NumberFormatException e) {
            throw new BerthException("setting '" + config.section() + ".lease-ttl-millis' is '" + ttlText
                    + "', which is not a whole number of milliseconds: give a number such as 30000");
        }
        return new StaticSettings(cluster, config.require("instance-id"), config.require("zone"),
                config.get("region", DEFAULT_REGION), members, Integer.parseInt(config.require("capacity").trim()),
                ttl, Path.of(config.get("data-root", DEFAULT_DATA_ROOT.toString())));
    }

    /**
     * Returns these settings when this instance may be in the cluster: when {@code members} is
     * empty, or lists this instance id; otherwise refuses, naming the id and the list.
     */
    public StaticSettings requireMember() {
        if (!members.isEmpty() && !members.contains(instanceId)) {
            throw new BerthException("instance '" + instanceId + "' is not one of the static provider's members "
                    + members + " of cluster " + cluster + ": add it to providerSettings.members on every machine,"
                    + " or run berth with --instance-id set to this machine's entry in that list");
        }
        return this;
    }

    /** {@code clusters/<cluster>/leases/} */
    public String leasesPrefix() {
        return "clusters/" + cluster + "/leases/";
    }

    /** {@code clusters/<cluster>/leases/<instanceId>} */
    public String leaseKey(String instance) {
        return leasesPrefix() + instance;
    }

    static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    private static void validName(String what, String value, String where, String example) {
        if (!isValidName(value)) {
            throw new BerthException(what + " '" + value + "' is not valid: use 1 to 80 letters, digits, dots, dashes"
                    + " and underscores, starting with a letter or digit (set " + where + ", for example '" + example + "')");
        }
    }
}
