package dev.berth.cli;

import dev.berth.core.plugin.Plugins;
import dev.berth.spi.BerthException;
import dev.berth.spi.ClaimStoreFactory;
import dev.berth.spi.PluginConfig;
import dev.berth.spi.Redaction;
import dev.berth.storecheck.HistoryCheck;
import dev.berth.storecheck.StoreCheck;
import dev.berth.storecheck.history.Verdict;
import io.avaje.jsonb.Jsonb;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth store check}: is this store safe to decide claims on? */
@Singleton
@Command(name = "store", mixinStandardHelpOptions = true, description = "Claim store tools.",
        subcommands = {StoreCommand.Check.class, StoreCommand.Bench.class})
final class StoreCommand {

    /** The options every store command takes: which store, and where the plugins are. */
    static final class StoreOptions {
        @Option(names = "--store", required = true,
                description = "The store URI: file:///..., s3://bucket/prefix?..., etcd://host:2379/prefix.")
        String store;

        @Option(names = "--plugins", description = "The plugin folder (default: the image's plugins/).")
        Path plugins;

        dev.berth.spi.ClaimStore open(BerthHome home) {
            return open(home, 1).getFirst();
        }

        /** {@code count} independent stores on the one URI (the plugins loaded once). */
        java.util.List<dev.berth.spi.ClaimStore> open(BerthHome home, int count) {
            URI uri;
            try {
                uri = new URI(store);
            } catch (URISyntaxException e) {
                throw new UsageException("store '" + Redaction.uri(store) + "' is not a valid URI: " + e.getReason());
            }
            if (uri.getScheme() == null) {
                throw new UsageException("store '" + Redaction.uri(store) + "' has no scheme: write file:///path, s3://bucket/prefix or"
                        + " etcd://host:2379/prefix");
            }
            try {
                var loaded = Plugins.load(plugins != null ? plugins : home.plugins());
                var factory = loaded.require(ClaimStoreFactory.class, ClaimStoreFactory::scheme, uri.getScheme(),
                        "claim store scheme");
                var stores = new java.util.ArrayList<dev.berth.spi.ClaimStore>();
                try {
                    for (int i = 0; i < count; i++) {
                        // credentials are the store plugin's business (the s3 store: the SDK's default chain, which
                        // reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN as the AWS tools do)
                        stores.add(factory.open(uri, PluginConfig.empty("storeSettings")));
                    }
                } catch (RuntimeException e) {
                    stores.forEach(dev.berth.spi.ClaimStore::close);
                    throw e;
                }
                return stores;
            } catch (BerthException e) {
                throw new UsageException(e.getMessage());
            }
        }
    }

    @Singleton
    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = {"Measure a store's claims per second and claim latency.",
                    "Claims per second, p50/p99 claim latency and backend requests per claim on a scratch prefix: each"
                            + " claim lists the slots' versions, reads one slot and compare-and-sets it to the next epoch."
                            + " Cleans up after itself."})
    static final class Bench implements Callable<Integer> {
        @Mixin
        StoreOptions storeOptions;

        @Option(names = "--claims", defaultValue = "500", description = "Claims to make. Default: ${DEFAULT-VALUE}.")
        int claims;

        @Option(names = "--threads", defaultValue = "4", description = "Concurrent claimers. Default: ${DEFAULT-VALUE}.")
        int threads;

        @Option(names = "--slots", defaultValue = "16", description = "Slots they spread over. Default: ${DEFAULT-VALUE}.")
        int slots;

        @Option(names = "--read", defaultValue = "hinted",
                description = {"How a claim reads the slots: 'hinted' (list keys, versions and their writers' hints, read"
                        + " the one slot taken, as berth claim does; default), 'versions' (list keys and versions, read the"
                        + " one slot taken) or 'list' (every slot's value, as a full read of the slot table does)."})
        String read;

        @Option(names = "--json", description = {"Print one JSON object: claims, claimsPerSecond, p50Millis, p99Millis,"
                + " lostRaces, requestsPerClaim (backend requests as the store plugin counts them; null when it does not)."})
        boolean json;

        private final Console console;
        private final BerthHome home;
        private final Jsonb jsonb;

        Bench(Console console, BerthHome home, Jsonb jsonb) {
            this.console = console;
            this.home = home;
            this.jsonb = jsonb;
        }

        @Override
        public Integer call() throws Exception {
            if (claims < 1 || threads < 1 || threads > 256 || slots < 1 || slots > 10_000) {
                throw new UsageException("--claims must be positive, --threads 1 to 256, --slots 1 to 10000");
            }
            var how = switch (read) {
                case "hinted" -> StoreBench.Read.HINTED;
                case "versions" -> StoreBench.Read.VERSIONS;
                case "list" -> StoreBench.Read.LIST;
                default -> throw new UsageException("--read must be 'hinted', 'versions' or 'list', got '" + read + "'");
            };
            var stores = storeOptions.open(home, threads); // one per claimer, as each node of a fleet has its own
            try {
                var prefix = "berth-store-bench/" + UUID.randomUUID().toString().substring(0, 8) + "/";
                var result = StoreBench.run(stores, prefix, claims, threads, slots, how);
                console.out().println(json ? result.json(jsonb) : result.line());
            } finally {
                stores.forEach(dev.berth.spi.ClaimStore::close);
            }
            return ExitCodes.OK;
        }
    }

    @Singleton
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Check that a store is safe for claims, or say what is unsafe.",
                    "Probes a store's put-if-absent, compare-and-set and conditional delete, races concurrent writers on"
                            + " a scratch prefix, cleans up, and says 'safe' or exactly what is unsafe. The verdict is kept"
                            + " in the store: berth claim refuses a store found unsafe. Exit 0: safe; 1: unsafe."})
    static final class Check implements Callable<Integer> {

        @Mixin
        StoreOptions storeOptions;

        @Option(names = "--threads", defaultValue = "20", description = "Concurrent writers in the race. Default: ${DEFAULT-VALUE}.")
        int threads;

        @Option(names = "--rounds", defaultValue = "20", description = "Rounds of the race. Default: ${DEFAULT-VALUE}.")
        int rounds;

        @Option(names = "--history", defaultValue = "0", description = {"Also record N operations of --threads clients on"
                + " a few scratch keys and check that history for linearizability (0: do not)."})
        int history;

        @Option(names = "--json", description = "Print one JSON object: safe, operations, unknown, linearizable, anomaly.")
        boolean json;

        private final Console console;
        private final BerthHome home;
        private final Jsonb jsonb;

        Check(Console console, BerthHome home, Jsonb jsonb) {
            this.console = console;
            this.home = home;
            this.jsonb = jsonb;
        }

        @Override
        public Integer call() {
            if (threads < 2 || threads > 256 || rounds < 1 || rounds > 10_000 || history < 0 || history > 1_000_000) {
                throw new UsageException("--threads must be 2 to 256, --rounds 1 to 10000 and --history 0 to 1000000 (got "
                        + threads + ", " + rounds + " and " + history + ")");
            }
            try (var claimStore = storeOptions.open(home)) {
                var scratch = "berth-store-check/" + UUID.randomUUID().toString().substring(0, 8) + "/";
                var report = StoreCheck.run(claimStore, scratch, threads, rounds);
                Optional<HistoryCheck.Result> checked = history > 0
                        ? Optional.of(HistoryCheck.run(claimStore, scratch, history, threads)) : Optional.empty();
                boolean safe = report.safe() && checked.map(c -> c.verdict().linearizable()).orElse(true);
                var summary = report.summary() + checked.map(c -> "\nhistory: " + c.verdict().summary()
                        + c.notes().stream().map(n -> "\n  note: " + n).collect(Collectors.joining())).orElse("");
                var fields = new java.util.LinkedHashMap<String, Object>();
                fields.put("safe", safe);
                fields.put("store", report.store());
                checked.ifPresent(c -> fields.putAll(c.verdict().fields()));
                fields.put("summary", summary);
                console.out().println(!json ? summary : Verdict.json(fields));
                new StoreVerdict(safe, System.currentTimeMillis(), summary).save(claimStore, jsonb);
                return safe ? ExitCodes.OK : ExitCodes.FAILED;
            }
        }
    }
}
