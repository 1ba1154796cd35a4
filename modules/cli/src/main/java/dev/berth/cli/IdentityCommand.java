package dev.berth.cli;

import dev.berth.core.identity.IdentityBackup;
import dev.berth.core.plugin.Plugins;
import dev.berth.core.slot.SlotCodec;
import dev.berth.core.slot.SlotKeys;
import dev.berth.core.slot.SlotRecord;
import dev.berth.core.slot.SlotRepository;
import dev.berth.spi.BerthException;
import dev.berth.spi.ClaimStore;
import dev.berth.spi.ClaimStoreFactory;
import dev.berth.spi.IdentityProvider;
import dev.berth.spi.IdentityProviderFactory;
import dev.berth.spi.IdentityState;
import dev.berth.spi.KeyProviderFactory;
import dev.berth.spi.NodeIdentity;
import dev.berth.spi.PluginConfig;
import io.avaje.jsonb.Json;
import io.avaje.jsonb.Jsonb;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth identity}: look at identities (never at their keys) and restore one on purpose. */
@Singleton
@Command(name = "identity", mixinStandardHelpOptions = true, description = "Node identity tools.",
        subcommands = {IdentityCommand.Inspect.class, IdentityCommand.Show.class, IdentityCommand.Restore.class})
final class IdentityCommand {

    /** What the identity commands print with --json: public parts only. */
    @Json
    record IdentityView(String kind, String publicName, String fingerprint, Integer slot, Boolean backedUp) {
    }

    static void print(Console console, Jsonb jsonb, boolean json, IdentityView view) {
        if (json) {
            console.out().println(jsonb.toJson(view));
            return;
        }
        console.out().printf("kind         %s%npublic name  %s%nfingerprint  %s%n", view.kind(), view.publicName(),
                view.fingerprint());
        if (view.slot() != null) {
            console.out().printf("slot         %d%nbacked up    %s%n", view.slot(), view.backedUp() ? "yes (encrypted in the store)" : "no");
        }
    }

    static IdentityProvider provider(Plugins plugins, String kind, PluginConfig settings) {
        try {
            return plugins.require(IdentityProviderFactory.class, IdentityProviderFactory::kind, kind, "identity kind")
                    .create(settings);
        } catch (BerthException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static Plugins plugins(Path dir, BerthHome home) {
        try {
            return Plugins.load(dir != null ? dir : home.plugins());
        } catch (BerthException e) {
            throw new UsageException(e.getMessage());
        }
    }

    @Singleton
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"Name the identity in a directory of identity files.",
                    "The files as each client writes them (staker.crt, nodekey, node.crt): their public name and"
                            + " fingerprint, from the public part alone where that names it."})
    static final class Inspect implements Callable<Integer> {
        @Option(names = "--kind", required = true, description = "avalanche, ethereum or x509.")
        String kind;

        @Option(names = "--dir", required = true, description = "The directory holding the identity files.")
        Path dir;

        @Option(names = "--plugins", description = "The plugin folder (default: the image's plugins/).")
        Path pluginsDir;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        private final Console console;
        private final BerthHome home;
        private final Jsonb jsonb;

        Inspect(Console console, BerthHome home, Jsonb jsonb) {
            this.console = console;
            this.home = home;
            this.jsonb = jsonb;
        }

        @Override
        public Integer call() {
            NodeIdentity id = provider(plugins(pluginsDir, home), kind, PluginConfig.empty("identity.settings")).inspect(dir);
            print(console, jsonb, json, new IdentityView(id.kind(), id.publicName(), id.fingerprint(), null, null));
            return ExitCodes.OK;
        }
    }

    /** The config a slot command needs: the store and the cluster. */
    abstract static class SlotCommand {
        @Option(names = "--config", description = "The berth YAML config file (cluster, store, identity, keys).")
        Path config;

        @Option(names = "--store", description = "The claim store URI (overrides the config).")
        String store;

        @Option(names = "--cluster", description = "The cluster name (overrides the config).")
        String cluster;

        @Option(names = "--slot", required = true, description = "The slot number.")
        int slot;

        @Option(names = "--plugins", description = "The plugin folder (default: the image's plugins/).")
        Path pluginsDir;

        ClaimConfig resolve(BerthHome home) {
            if (slot < 0) {
                throw new UsageException("--slot " + slot + " is negative: slots are numbered from 0");
            }
            var file = config == null ? ConfigFile.empty() : ConfigFile.load(config);
            return ClaimConfig.resolve(file, new ClaimConfig.Flags(cluster, null, store, null, null,
                    pluginsDir == null ? null : pluginsDir.toString(), null, null, null, null, null), home.plugins());
        }

        static ClaimStore open(Plugins plugins, ClaimConfig resolved) {
            try {
                return plugins.require(ClaimStoreFactory.class, ClaimStoreFactory::scheme, resolved.store().getScheme(),
                        "claim store scheme").open(resolved.store(), resolved.storeSettings());
            } catch (BerthException e) {
                throw new UsageException(e.getMessage());
            }
        }

        SlotRecord read(ClaimStore claimStore, ClaimConfig resolved) {
            var repo = new SlotRepository(claimStore, new SlotKeys(resolved.settings().cluster()), new SlotCodec(),
                    new SlotRepository.CallWrapper() {
                        @Override
                        public <T> T call(String what, Supplier<T> call) {
                            return call.get();
                        }
                    });
            return repo.read(slot).orElseThrow(() -> new BerthException("slot " + slot + " of cluster "
                    + resolved.settings().cluster() + " does not exist in " + claimStore.describe())).record();
        }
    }

    @Singleton
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Show the identity a slot records.",
                    "Its kind, public name and fingerprint, and whether a backup exists."})
    static final class Show extends SlotCommand implements Callable<Integer> {
        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        private final Console console;
        private final BerthHome home;
        private final Jsonb jsonb;

        Show(Console console, BerthHome home, Jsonb jsonb) {
            this.console = console;
            this.home = home;
            this.jsonb = jsonb;
        }

        @Override
        public Integer call() {
            var resolved = resolve(home);
            try (var claimStore = open(plugins(resolved.plugins(), home), resolved)) {
                var record = read(claimStore, resolved);
                if (record.identity() == null) {
                    console.err().println("berth identity show: slot " + slot + " has no identity yet (its first claim"
                            + " creates one)");
                    return ExitCodes.FAILED;
                }
                var id = record.identity();
                print(console, jsonb, json, new IdentityView(id.kind(), id.publicName(), id.fingerprint(), slot,
                        record.identityBackup() != null));
                return ExitCodes.OK;
            }
        }
    }

    @Singleton
    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Restore a slot's identity from its encrypted backup.",
                    "Into a directory that holds none, on purpose (the manual policy never does it by itself)."
                            + " Checks the restored fingerprint against the slot."})
    static final class Restore extends SlotCommand implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "Where to write the identity files (must hold none).")
        Path dir;

        private final Console console;
        private final BerthHome home;

        Restore(Console console, BerthHome home) {
            this.console = console;
            this.home = home;
        }

        @Override
        public Integer call() {
            var resolved = resolve(home);
            var plugins = plugins(resolved.plugins(), home);
            var keyName = resolved.keyProvider().orElseThrow(() -> new UsageException(
                    "no key provider in the config ('keys.provider'): the backup cannot be opened without it"));
            dev.berth.spi.KeyProvider keys;
            try {
                keys = plugins.require(KeyProviderFactory.class, KeyProviderFactory::name, keyName, "key provider")
                        .create(resolved.keySettings());
            } catch (BerthException e) {
                throw new UsageException(e.getMessage());
            }
            try (var claimStore = open(plugins, resolved)) {
                var record = read(claimStore, resolved);
                if (record.identity() == null || record.identityBackup() == null) {
                    console.err().println("berth identity restore: slot " + slot + " has no identity backup to restore");
                    return ExitCodes.FAILED;
                }
                var provider = provider(plugins, record.identity().kind(), resolved.identitySettings());
                if (provider.load(dir) instanceof IdentityState.Present) {
                    throw new UsageException(dir + " already holds an identity: restore into an empty directory");
                }
                var slotName = "cluster " + resolved.settings().cluster() + " slot " + slot;
                var bundle = IdentityBackup.open(record.identityBackup(), keys, slotName);
                try {
                    var restored = provider.restore(dir, bundle);
                    if (!restored.fingerprint().equals(record.identity().fingerprint())) {
                        console.err().println("berth identity restore: the backup holds " + restored.publicName()
                                + ", not the slot's " + record.identity().publicName() + "; remove " + dir + " and check the store");
                        return ExitCodes.FAILED;
                    }
                    console.out().println("restored " + restored.kind() + " identity " + restored.publicName() + " of slot "
                            + slot + " into " + dir);
                    return ExitCodes.OK;
                } finally {
                    bundle.destroy();
                }
            }
        }
    }
}
