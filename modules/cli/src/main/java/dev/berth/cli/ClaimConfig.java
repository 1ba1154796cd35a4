package dev.berth.cli;

import dev.berth.core.claim.ClaimSettings;
import dev.berth.core.claim.CrossZonePolicy;
import dev.berth.core.claim.FullPolicy;
import dev.berth.core.claim.IdentityPolicy;
import dev.berth.spi.BerthException;
import dev.berth.spi.PluginConfig;
import dev.berth.spi.Redaction;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The configuration of {@code berth claim}: the YAML file, then the flags over it, validated
 * into {@link ClaimSettings} and the names of the providers to load. Every bad value is a
 * {@link UsageException} naming the key and what to write instead.
 */
record ClaimConfig(
        ClaimSettings settings,
        String provider,
        PluginConfig providerSettings,
        URI store,
        PluginConfig storeSettings,
        Path plugins,
        String devices,
        PluginConfig deviceSettings,
        PluginConfig identitySettings,
        Optional<String> keyProvider,
        PluginConfig keySettings,
        String instanceId,
        String zone,
        Optional<Path> metricsTextfile) {

    /** One week: longer than any sensible bound, short enough that no sum of bounds overflows. */
    private static final int MAX_WAIT_SECONDS = 7 * 24 * 3600;

    static final Set<String> TOP = Set.of("cluster", "provider", "providerSettings", "store", "storeSettings", "capacity",
            "envFile", "plugins", "whenFull", "crossZone", "volume", "identity", "keys", "devices", "waits", "sim", "snapshots",
            "network", "metrics");

    /** Flags given on the command line (null when not given). */
    record Flags(String cluster, String provider, String store, Integer capacity, String envFile, String plugins,
                 String whenFull, String crossZone, String instanceId, String zone, Integer forceSlot) {

        /** No flags: the config file alone. */
        static Flags none() {
            return new Flags(null, null, null, null, null, null, null, null, null, null, null);
        }
    }

    static ClaimConfig resolve(ConfigFile file, Flags flags, Path defaultPlugins) {
        try {
            return build(file.only(TOP), flags, defaultPlugins);
        } catch (UsageException e) {
            throw e;
        } catch (BerthException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static ClaimConfig build(ConfigFile file, Flags flags, Path defaultPlugins) {
        var cluster = first(flags.cluster(), file.string("cluster")).orElseThrow(() -> new UsageException(
                "no cluster name: set 'cluster:' in the config file or pass --cluster NAME (for example avax-mainnet)"));
        var provider = first(flags.provider(), file.string("provider")).orElse("aws");
        var store = uri(first(flags.store(), file.string("store")).orElse("file:///var/lib/berth/store"));
        var capacity = flags.capacity() != null ? Optional.of(flags.capacity()) : file.integer("capacity");
        if (capacity.isPresent() && capacity.get() < 1) {
            throw new UsageException("capacity " + capacity.get() + " is not positive: give the number of slots (1 or more),"
                    + " or leave it out to follow the group's desired capacity");
        }
        var envFile = path("envFile", first(flags.envFile(), file.string("envFile")).orElse("/etc/berth/berth.env"));
        var plugins = first(flags.plugins(), file.string("plugins")).map(p -> path("plugins", p)).orElse(defaultPlugins);
        var whenFull = FullPolicy.parse(first(flags.whenFull(), file.string("whenFull")).orElse("wait"));
        var crossZone = CrossZonePolicy.parse(first(flags.crossZone(), file.string("crossZone")).orElse("never"));

        var v = file.section("volume").only(Set.of("sizeGiB", "type", "iops", "throughputMiBps", "encrypted", "kmsKeyId",
                "seedSnapshot", "filesystem", "mkfsArgs", "mountPoint", "mountOptions"));
        var volume = new ClaimSettings.VolumeSettings(
                v.integer("sizeGiB").orElse(100),
                v.string("type").orElse("gp3"),
                v.integer("iops").map(OptionalInt::of).orElse(OptionalInt.empty()),
                v.integer("throughputMiBps").map(OptionalInt::of).orElse(OptionalInt.empty()),
                v.bool("encrypted").orElse(true),
                v.string("kmsKeyId"),
                v.string("seedSnapshot"),
                v.string("filesystem").orElse("ext4"),
                v.list("mkfsArgs"),
                path("volume.mountPoint", v.string("mountPoint").orElse("/data")),
                v.list("mountOptions").isEmpty() ? java.util.List.of("noatime") : v.list("mountOptions"));

        var id = file.section("identity").only(Set.of("kind", "dir", "policy", "settings"));
        var kind = id.string("kind").filter(k -> !k.equals("none"));
        var identity = new ClaimSettings.IdentitySettings(kind, path("identity.dir", id.string("dir").orElse("identity")),
                IdentityPolicy.parse(id.string("policy").orElse("auto")));

        var w = file.section("waits").only(Set.of("pollSeconds", "fullSeconds", "holderSeconds", "attachSeconds",
                "deviceSeconds", "snapshotSeconds", "holderGraceSeconds", "storeSeconds", "maxClaimConflicts",
                "maxCallAttempts"));
        var d = ClaimSettings.Waits.defaults();
        var waits = new ClaimSettings.Waits(
                seconds(w, "pollSeconds", 1, d.pollMillis()),
                seconds(w, "fullSeconds", 0, d.fullMillis()),
                seconds(w, "holderSeconds", 0, d.holderMillis()),
                seconds(w, "attachSeconds", 1, d.attachMillis()),
                seconds(w, "deviceSeconds", 1, d.deviceMillis()),
                seconds(w, "snapshotSeconds", 1, d.snapshotMillis()),
                seconds(w, "holderGraceSeconds", 1, d.holderGraceMillis()),
                seconds(w, "storeSeconds", 1, d.storeMillis()),
                (int) count(w, "maxClaimConflicts", d.maxClaimConflicts()),
                (int) count(w, "maxCallAttempts", d.maxCallAttempts()));

        var settings = new ClaimSettings(cluster, capacity.map(OptionalInt::of).orElse(OptionalInt.empty()), volume, identity,
                whenFull, crossZone, waits, envFile,
                flags.forceSlot() == null ? OptionalInt.empty() : OptionalInt.of(flags.forceSlot()),
                snapshots(file.section("snapshots").only(Set.of("everyMinutes", "keep", "maxSnapshotAgeMinutes")), crossZone))
                .withNetwork(network(file));

        var keys = file.section("keys").only(Set.of("provider", "settings"));
        var devices = file.section("devices").only(Set.of("provider", "settings"));
        var sim = file.section("sim").only(Set.of("instanceId", "zone"));
        return new ClaimConfig(settings, provider,
                new PluginConfig("providerSettings", file.flat("providerSettings")), store,
                new PluginConfig("storeSettings", file.flat("storeSettings")), plugins,
                devices.string("provider").orElse("linux"), new PluginConfig("devices.settings", devices.flat("settings")),
                new PluginConfig("identity.settings", id.flat("settings")), keys.string("provider"),
                new PluginConfig("keys.settings", keys.flat("settings")),
                first(flags.instanceId(), sim.string("instanceId")).orElse("i-local"),
                first(flags.zone(), sim.string("zone")).orElse("local-a"),
                metricsTextfile(file.section("metrics").only(Set.of("textfile"))));
    }

    /**
     * {@code metrics.textfile}: the node_exporter textfile berth claim, keeper and snapshot write their metrics to;
     * a path berth cannot write is bad input (exit 2), found before anything is claimed.
     */
    private static Optional<Path> metricsTextfile(ConfigFile metrics) {
        var path = metrics.string("textfile").map(p -> Path.of(p).toAbsolutePath().normalize());
        path.ifPresent(file -> {
            if (!file.getFileName().toString().endsWith(".prom")) {
                throw new UsageException("metrics.textfile " + file + ": node_exporter's textfile collector reads only"
                        + " files named *.prom: give a path such as " + file.resolveSibling("berth.prom"));
            }
            var parent = file.getParent();
            if (!java.nio.file.Files.isDirectory(parent) || !java.nio.file.Files.isWritable(parent)) {
                throw new UsageException("metrics.textfile " + file + ": its directory " + parent + " does not exist or is"
                        + " not writable by this user: create it (mkdir -p " + parent + ", the directory node_exporter's"
                        + " --collector.textfile.directory names) or give another path");
            }
        });
        return path;
    }

    /** The {@code network:} section (DESIGN step 6b); off when absent. */
    private static dev.berth.core.claim.NetworkSettings network(ConfigFile file) {
        var n = file.section("network").only(Set.of("elasticIp", "elasticIpPool", "interface"));
        var network = new dev.berth.core.claim.NetworkSettings(
                dev.berth.core.claim.NetworkSettings.ElasticIp.parse(n.string("elasticIp").orElse("none")),
                n.list("elasticIpPool"),
                dev.berth.core.claim.NetworkSettings.Interfaces.parse(n.string("interface").orElse("none")));
        return network;
    }

    /**
     * Refuses a {@code network:} section the cloud provider cannot serve (its factory says whether it gives a slot
     * its own address or interface), before anything is claimed.
     */
    void requireNetworkOf(dev.berth.spi.CloudProviderFactory factory) {
        if (settings.network().enabled() && !factory.slotNetwork()) {
            throw new UsageException("the network: section asks for an Elastic IP or a network interface per slot, and"
                    + " the " + factory.name() + " provider has neither: remove the network: section, or set"
                    + " network.elasticIp and network.interface to none");
        }
    }

    /**
     * The {@code snapshots:} section. Periodic snapshots are on when it says how often, or by default (hourly)
     * with {@code crossZone: latest-snapshot}, which has nothing to move from without them; else off.
     */
    private static ClaimSettings.SnapshotSettings snapshots(ConfigFile s, CrossZonePolicy crossZone) {
        var d = ClaimSettings.SnapshotSettings.defaults();
        int every = s.integer("everyMinutes").orElse(crossZone == CrossZonePolicy.LATEST_SNAPSHOT ? d.everyMinutes() : 0);
        if (crossZone == CrossZonePolicy.LATEST_SNAPSHOT && every == 0) {
            throw new UsageException("crossZone: latest-snapshot moves a slot from its latest periodic snapshot, but"
                    + " snapshots.everyMinutes is 0 (none are taken): set it (for example 60) or use crossZone: snapshot");
        }
        return new ClaimSettings.SnapshotSettings(every, s.integer("keep").orElse(d.keep()),
                s.integer("maxSnapshotAgeMinutes").orElse(d.maxSnapshotAgeMinutes()));
    }

    /** A {@code waits.*Seconds} bound in milliseconds; an error names the key. */
    private static long seconds(ConfigFile waits, String key, int min, long fallbackMillis) {
        return waits.integer(key).map(v -> {
            if (v < min || v > MAX_WAIT_SECONDS) {
                throw new UsageException("waits." + key + " is " + v + ": give " + min + " to " + MAX_WAIT_SECONDS
                        + " seconds, or leave it out for the default (" + fallbackMillis / 1000 + ")");
            }
            return v * 1000L;
        }).orElse(fallbackMillis);
    }

    /** A {@code waits.max*} count; an error names the key. */
    private static long count(ConfigFile waits, String key, int fallback) {
        return waits.integer(key).map(v -> {
            if (v < 1 || v > 10_000) {
                throw new UsageException("waits." + key + " is " + v + ": give 1 to 10000, or leave it out for the default ("
                        + fallback + ")");
            }
            return v;
        }).orElse(fallback);
    }

    /** The record's fields, the store URI's password and secret settings hidden. */
    @Override
    public String toString() {
        return "ClaimConfig[settings=" + settings + ", provider=" + provider + ", providerSettings=" + providerSettings
                + ", store=" + Redaction.uri(store) + ", storeSettings=" + storeSettings + ", plugins=" + plugins
                + ", devices=" + devices + ", deviceSettings=" + deviceSettings + ", identitySettings=" + identitySettings
                + ", keyProvider=" + keyProvider + ", keySettings=" + keySettings + ", instanceId=" + instanceId
                + ", zone=" + zone + "]";
    }

    private static Optional<String> first(String flag, Optional<String> fromFile) {
        return flag != null ? Optional.of(flag) : fromFile;
    }

    private static URI uri(String value) {
        try {
            var uri = new URI(value);
            if (uri.getScheme() == null) {
                throw new UsageException("store '" + Redaction.uri(value) + "' has no scheme: write file:///var/lib/berth/store,"
                        + " s3://bucket/prefix?region=... or etcd://host:2379/prefix");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new UsageException("store '" + Redaction.uri(value) + "' is not a valid URI (" + e.getReason()
                    + "): write file:///var/lib/berth/store, s3://bucket/prefix or etcd://host:2379/prefix");
        }
    }

    private static Path path(String key, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException(key + " '" + value + "' is not a valid path: " + e.getReason());
        }
    }
}
