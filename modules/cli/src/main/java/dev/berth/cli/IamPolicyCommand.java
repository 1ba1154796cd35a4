package dev.berth.cli;

import dev.berth.cli.iam.PolicyDocument;
import dev.berth.core.claim.FullPolicy;
import dev.berth.core.claim.NetworkSettings;
import dev.berth.spi.BerthException;
import dev.berth.spi.ClaimStoreFactory;
import dev.berth.spi.KeyProviderFactory;
import dev.berth.spi.PermissionRequest;
import dev.berth.spi.PermissionRequest.Use;
import dev.berth.spi.UriQuery;
import io.avaje.jsonb.Jsonb;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth iam-policy}: the least-privilege policy the configuration needs, made of what the configured cloud
 * provider, key provider and claim store declare ({@code permissions} on their factories).
 */
@Singleton
@Command(name = "iam-policy", mixinStandardHelpOptions = true,
        description = {"Print the least-privilege IAM policy this configuration needs.",
                "The policy (JSON) that the instance role needs, as the configured plugins declare it: the actions of the"
                        + " features the configuration turns on (aws: EC2 and Auto Scaling; s3 store: S3 on the bucket and"
                        + " prefix; kms: KMS on the key), scoped by the berth:cluster tag where the cloud allows it."})
final class IamPolicyCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "The berth YAML config file.")
    Path config;

    @Option(names = "--operator", description = "Add what the operator's day-2 commands need besides an instance's:"
            + " berth gc (deletes the cluster's volumes and snapshots), berth release --force, berth status.")
    boolean operator;

    private final Console console;
    private final BerthHome home;
    private final Jsonb jsonb;

    IamPolicyCommand(Console console, BerthHome home, Jsonb jsonb) {
        this.console = console;
        this.home = home;
        this.jsonb = jsonb;
    }

    @Override
    public Integer call() {
        var resolved = ClaimConfig.resolve(ConfigFile.load(config), ClaimConfig.Flags.none(), home.plugins());
        var loaded = ClaimCommand.loadPlugins(resolved);
        var request = request(resolved);
        var parts = new ArrayList<PolicyDocument.Contribution>();
        try {
            var cloud = ClaimCommand.cloudFactory(loaded, resolved);
            parts.add(new PolicyDocument.Contribution("cloud provider " + cloud.name(),
                    cloud.permissions(request.withSettings(resolved.providerSettings()))));
            resolved.keyProvider().ifPresent(name -> parts.add(new PolicyDocument.Contribution("key provider " + name,
                    loaded.require(KeyProviderFactory.class, KeyProviderFactory::name, name, "key provider")
                            .permissions(request.withSettings(resolved.keySettings())))));
            var store = resolved.store();
            parts.add(new PolicyDocument.Contribution("claim store " + store.getScheme(),
                    loaded.require(ClaimStoreFactory.class, ClaimStoreFactory::scheme, store.getScheme(), "claim store scheme")
                            .permissions(store, request.withSettings(resolved.storeSettings()))));
        } catch (UsageException e) {
            throw e;
        } catch (BerthException e) {
            throw new UsageException(e.getMessage());
        }
        try {
            console.out().println(new PolicyDocument(parts).json(jsonb));
        } catch (BerthException e) {
            console.err().println("berth iam-policy: failed: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        return ExitCodes.OK;
    }

    /** What the configuration turns on, in berth's terms; each plugin maps it to its own actions. */
    private PermissionRequest request(ClaimConfig resolved) {
        var settings = resolved.settings();
        var uses = EnumSet.noneOf(Use.class);
        if (settings.crossZone().movesVolumes()) {
            uses.add(Use.SNAPSHOT_MOVES);
        }
        if (settings.snapshots().everyMinutes() > 0) {
            uses.add(Use.PERIODIC_SNAPSHOTS);
        }
        if (settings.whenFull() == FullPolicy.MARK_UNHEALTHY) {
            uses.add(Use.MARK_UNHEALTHY);
        }
        if (settings.whenFull() == FullPolicy.TERMINATE_SELF) {
            uses.add(Use.TERMINATE_SELF);
        }
        var network = settings.network();
        if (network.elasticIp() != NetworkSettings.ElasticIp.NONE) {
            uses.add(Use.ELASTIC_IPS);
        }
        if (network.interfaces() != NetworkSettings.Interfaces.NONE) {
            uses.add(Use.INTERFACES);
        }
        if (operator) {
            uses.add(Use.OPERATOR);
        }
        // the region the configuration names: the cloud provider's, else the claim store URI's
        var region = resolved.providerSettings().get("region").or(() -> Optional.ofNullable(
                UriQuery.parse(resolved.store()).get("region")).filter(v -> !v.isBlank()));
        return new PermissionRequest(settings.cluster(), resolved.providerSettings(), region, uses,
                settings.volume().kmsKeyId(), settings.volume().seedSnapshotId(), network.pool());
    }
}
