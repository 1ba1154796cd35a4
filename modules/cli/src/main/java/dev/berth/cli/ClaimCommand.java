package dev.berth.cli;

import dev.berth.core.claim.ClaimContext;
import dev.berth.core.claim.ClaimException;
import dev.berth.core.claim.ClaimLog;
import dev.berth.core.claim.ClaimOutcome;
import dev.berth.core.claim.Calls;
import dev.berth.core.claim.ClaimProtocol;
import dev.berth.core.claim.EnvFileWriter;
import dev.berth.core.claim.SlotLease;
import dev.berth.core.claim.Ticker;
import dev.berth.core.plugin.ClaimRunner;
import dev.berth.core.plugin.ClaimRunnerFactory;
import dev.berth.core.plugin.Plugins;
import dev.berth.spi.BerthException;
import dev.berth.spi.BlockDevicesFactory;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.ClaimStoreFactory;
import dev.berth.spi.CloudProviderFactory;
import dev.berth.spi.ConfigException;
import dev.berth.spi.FileSystemDriverFactory;
import dev.berth.spi.IdentityProviderFactory;
import dev.berth.spi.KeyProviderFactory;
import io.avaje.jsonb.Json;
import io.avaje.jsonb.Jsonb;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth claim}: claim a slot, attach and mount its volume, load its identity, write the env file. */
@Singleton
@Command(name = "claim", mixinStandardHelpOptions = true,
        description = {"Claim this instance's slot: its volume, identity and env file.",
                "Claims one slot of the cluster for this instance: its volume attached and mounted, its identity in place,"
                        + " and the env file written. Exit 0: ready; 3: no free slot (the full policy was applied);"
                        + " 1: failed (the message says why and what to do); 2: bad input."})
final class ClaimCommand implements Callable<Integer> {

    @Option(names = "--config", description = "The YAML config file (default: none; flags and defaults only).")
    Path config;

    @Option(names = "--cluster", description = "The cluster name (config: cluster).")
    String cluster;

    @Option(names = "--provider", description = "The cloud provider: aws, static, sim (config: provider; default aws).")
    String provider;

    @Option(names = "--store", description = "The claim store URI: file:///var/lib/berth/store, s3://bucket/prefix, etcd://host:2379/prefix.")
    String store;

    @Option(names = "--capacity", description = "The number of slots (config: capacity; default: the group's desired capacity).")
    Integer capacity;

    @Option(names = "--env-file", description = "Where to write the workload's env file (default /etc/berth/berth.env).")
    String envFile;

    @Option(names = "--plugins", description = "The plugin folder (default: the image's plugins/).")
    String plugins;

    @Option(names = "--when-full", description = "wait, mark-unhealthy or terminate-self (config: whenFull; default wait).")
    String whenFull;

    @Option(names = "--cross-zone", description = "never or snapshot (config: crossZone; default never).")
    String crossZone;

    @Option(names = "--instance-id", description = "With --provider sim or static: this instance's id (default i-local).")
    String instanceId;

    @Option(names = "--zone", description = "With --provider sim or static: this instance's zone (default local-a).")
    String zone;

    @Option(names = "--force", description = "Take --slot N even from a live holder. For operators who know that holder is dead.")
    boolean force;

    @Option(names = "--slot", description = "With --force: the slot to take.")
    Integer slot;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    private final Console console;
    private final BerthHome home;
    private final Jsonb jsonb;

    ClaimCommand(Console console, BerthHome home, Jsonb jsonb) {
        this.console = console;
        this.home = home;
        this.jsonb = jsonb;
    }

    @Override
    public Integer call() {
        if (force != (slot != null)) {
            throw new UsageException("--force and --slot go together: pass both (--force --slot N) to take slot N from"
                    + " a holder you know is dead, or neither");
        }
        var file = config == null ? ConfigFile.empty() : ConfigFile.load(config);
        var resolved = ClaimConfig.resolve(file, new ClaimConfig.Flags(cluster, provider, store, capacity, envFile, plugins,
                whenFull, crossZone, instanceId, zone, slot), home.plugins());
        EnvFilePath.check(resolved.settings().envFile());
        var loaded = loadPlugins(resolved);
        var factory = cloudFactory(loaded, resolved);
        var runner = runnerOf(factory, resolved, home);
        var log = console.log("claim").with("cluster", resolved.settings().cluster());
        var claimStore = openStore(loaded, resolved);
        var counted = new CountingStore(claimStore);
        var ticker = new MeteredTicker(Ticker.system(), () -> { });
        var textfile = resolved.metricsTextfile().map(f -> new MetricsTextfile(f, log));
        long started = System.nanoTime();
        java.util.function.BiConsumer<String, Optional<SlotLease>> metrics = (how, lease) -> textfile.ifPresent(t ->
                ClaimMetrics.publish(t, resolved.settings().cluster(), how, lease, claimStore, counted,
                        (System.nanoTime() - started) / 1_000_000, runner.isPresent() ? Optional.empty() : Optional.of(ticker.sleptMillisByKind())));
        ClaimOutcome outcome;
        try (claimStore) {
            StoreVerdict.refuseIfUnsafe(claimStore, new Calls(Ticker.system(), resolved.settings().waits(), log), jsonb);
            if (runner.isPresent()) {
                // the provider runs its own claim (static keeps its lease until stopped): report as soon as it is known
                var parts = new ClaimRunner.Parts(counted, () -> identityOf(loaded, resolved, home, claimStore),
                        () -> keysOf(loaded, resolved, home, claimStore), log, EnvFileWriter.local());
                var reported = new java.util.concurrent.atomic.AtomicInteger(-1);
                runner.get().claim(resolved.settings(), parts, o -> {
                    metrics.accept(outcomeName(o), leaseOf(o));
                    reported.set(report(o));
                });
                return reported.get();
            }
            try (var cloud = cloudOf(factory, resolved, home, claimStore)) {
                outcome = new ClaimProtocol(resolved.settings(), contextOf(loaded, resolved, home, cloud, counted, log, ticker))
                        .claim();
            }
            metrics.accept(outcomeName(outcome), leaseOf(outcome));
        } catch (ClaimException e) {
            metrics.accept("failed", Optional.empty());
            log.error(e.kind().name().toLowerCase().replace('_', '-') + ": " + e.getMessage());
            return ExitCodes.FAILED;
        } catch (UsageException | ConfigException e) {
            metrics.accept("refused", Optional.empty());
            throw e;
        } catch (BerthException e) {
            metrics.accept("failed", Optional.empty());
            log.error("failed: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        return report(outcome);
    }

    private static String outcomeName(ClaimOutcome outcome) {
        return switch (outcome) {
            case ClaimOutcome.Claimed c -> "claimed";
            case ClaimOutcome.Resumed r -> "resumed";
            case ClaimOutcome.Deferred d -> "deferred";
            case ClaimOutcome.Full f -> "full";
        };
    }

    private static Optional<SlotLease> leaseOf(ClaimOutcome outcome) {
        return switch (outcome) {
            case ClaimOutcome.Claimed c -> Optional.of(c.lease());
            case ClaimOutcome.Resumed r -> Optional.of(r.lease());
            default -> Optional.empty();
        };
    }

    static Plugins loadPlugins(ClaimConfig resolved) {
        try {
            return Plugins.load(resolved.plugins());
        } catch (BerthException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * The configured cloud provider by name (built in, like static and sim, or from a plugin), or exit 2 naming the
     * ones there are; exit 2 too when the config has a network: section the provider cannot serve.
     */
    static CloudProviderFactory cloudFactory(Plugins loaded, ClaimConfig resolved) {
        CloudProviderFactory factory;
        try {
            factory = loaded.require(CloudProviderFactory.class, CloudProviderFactory::name, resolved.provider(),
                    "cloud provider");
        } catch (BerthException e) {
            throw new UsageException(e.getMessage());
        }
        resolved.requireNetworkOf(factory);
        return factory;
    }

    /**
     * The provider's own claim, when it runs one (static, sim); made before the store is opened, so that
     * bad settings are exit 2 with nothing claimed.
     */
    static Optional<ClaimRunner> runnerOf(CloudProviderFactory factory, ClaimConfig resolved, BerthHome home) {
        try {
            return factory instanceof ClaimRunnerFactory runners
                    ? Optional.of(runners.runner(PluginContexts.of(resolved, resolved.providerSettings(), null, home,
                    factory.name())))
                    : Optional.empty();
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static ClaimStore openStore(Plugins loaded, ClaimConfig resolved) {
        try {
            var factory = loaded.require(ClaimStoreFactory.class, ClaimStoreFactory::scheme, resolved.store().getScheme(),
                    "claim store scheme");
            return factory.open(resolved.store(), resolved.storeSettings());
        } catch (BerthException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static dev.berth.spi.CloudProvider cloudOf(CloudProviderFactory factory, ClaimConfig resolved, BerthHome home,
                                               ClaimStore claimStore) {
        try {
            return factory.create(PluginContexts.of(resolved, resolved.providerSettings(), claimStore, home, factory.name()));
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The providers of a cloud (aws, ...) around one claim store. */
    static ClaimContext contextOf(Plugins loaded, ClaimConfig resolved, BerthHome home, dev.berth.spi.CloudProvider cloud,
                                  ClaimStore claimStore, ClaimLog log) {
        return contextOf(loaded, resolved, home, cloud, claimStore, log, Ticker.system());
    }

    /** With a ticker of its own: the metered one of a claim (time waited) or of the keeper (its heartbeat). */
    static ClaimContext contextOf(Plugins loaded, ClaimConfig resolved, BerthHome home, dev.berth.spi.CloudProvider cloud,
                                  ClaimStore claimStore, ClaimLog log, Ticker ticker) {
        var deviceContext = PluginContexts.of(resolved, resolved.deviceSettings(), claimStore, home, resolved.devices());
        var devices = loaded.require(BlockDevicesFactory.class, BlockDevicesFactory::name, resolved.devices(),
                "block device provider").create(deviceContext);
        var filesystems = loaded.require(FileSystemDriverFactory.class, FileSystemDriverFactory::name,
                resolved.devices(), "filesystem driver").create(deviceContext);
        return new ClaimContext(cloud, claimStore, devices, filesystems, identityOf(loaded, resolved, home, claimStore),
                keysOf(loaded, resolved, home, claimStore), ticker, log, EnvFileWriter.local());
    }

    static Optional<dev.berth.spi.IdentityProvider> identityOf(Plugins loaded, ClaimConfig resolved, BerthHome home,
                                                              ClaimStore claimStore) {
        return resolved.settings().identity().kind().map(kind -> loaded.require(IdentityProviderFactory.class,
                IdentityProviderFactory::kind, kind, "identity kind")
                .create(PluginContexts.of(resolved, resolved.identitySettings(), claimStore, home, kind)));
    }

    static Optional<dev.berth.spi.KeyProvider> keysOf(Plugins loaded, ClaimConfig resolved, BerthHome home,
                                                     ClaimStore claimStore) {
        return resolved.keyProvider().map(name -> loaded.require(KeyProviderFactory.class, KeyProviderFactory::name,
                name, "key provider").create(PluginContexts.of(resolved, resolved.keySettings(), claimStore, home, name)));
    }

    private int report(ClaimOutcome outcome) {
        return switch (outcome) {
            case ClaimOutcome.Claimed c -> ready("claimed", c.lease());
            case ClaimOutcome.Resumed r -> ready("resumed", r.lease());
            case ClaimOutcome.Deferred d -> {
                if (json) {
                    console.out().println(jsonb.toJson(new ClaimResult("deferred", -1, -1, null, null, null,
                            null, d.detail())));
                } else {
                    console.out().println("deferred: " + d.detail());
                }
                yield ExitCodes.OK;
            }
            case ClaimOutcome.Full f -> {
                if (json) {
                    console.out().println(jsonb.toJson(new ClaimResult("full", -1, -1, null, null, null,
                            null, f.detail())));
                } else {
                    console.out().println("full: " + f.detail() + " (policy " + f.policy().configName() + ")");
                }
                yield ExitCodes.FULL;
            }
        };
    }

    private int ready(String how, SlotLease lease) {
        if (json) {
            console.out().println(jsonb.toJson(new ClaimResult(how, lease.slot(), lease.epoch(),
                    lease.instanceId(), lease.volumeId(), lease.mountPoint().toString(),
                    lease.identity().map(i -> i.publicName()).orElse(null), null)));
        } else {
            console.out().println(how + " slot " + lease.slot() + " at epoch " + lease.epoch() + ": volume " + lease.volumeId()
                    + " on " + lease.mountPoint() + lease.identity().map(i -> ", identity " + i.publicName()).orElse(""));
        }
        return ExitCodes.OK;
    }

    /** What {@code berth claim --json} prints. */
    @Json
    record ClaimResult(String outcome, int slot, long epoch, String instanceId, String volumeId, String dataDir,
                       String nodeId, String detail) {
    }

}
