package dev.berth.cli;

import dev.berth.cli.iam.IamPolicy;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth iam-policy}: the least-privilege IAM policy the configuration needs. */
@Singleton
@Command(name = "iam-policy", mixinStandardHelpOptions = true,
        description = {"Print the least-privilege IAM policy this configuration needs.",
                "The policy (JSON) that the instance role needs: the EC2, Auto Scaling, S3 and KMS actions of the features"
                        + " the configuration turns on, scoped by the berth:cluster tag where AWS allows it."})
final class IamPolicyCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "The berth YAML config file.")
    Path config;

    private final Console console;
    private final BerthHome home;

    IamPolicyCommand(Console console, BerthHome home) {
        this.console = console;
        this.home = home;
    }

    @Override
    public Integer call() {
        var resolved = ClaimConfig.resolve(ConfigFile.load(config), ClaimConfig.Flags.none(), home.plugins());
        var settings = resolved.settings();
        var store = resolved.store();
        Optional<String> bucket = store.getScheme().equals("s3") ? Optional.ofNullable(store.getHost()) : Optional.empty();
        var prefix = bucket.isPresent() && store.getPath() != null ? store.getPath() : "";
        var backupKey = resolved.keyProvider().filter("kms"::equals).flatMap(k -> resolved.keySettings().get("keyId"));
        var features = new IamPolicy.Features(settings.cluster(), bucket, prefix, backupKey, settings.volume().kmsKeyId(),
                settings.crossZone().movesVolumes(), settings.volume().seedSnapshotId(),
                settings.whenFull() == dev.berth.core.claim.FullPolicy.MARK_UNHEALTHY,
                settings.whenFull() == dev.berth.core.claim.FullPolicy.TERMINATE_SELF,
                resolved.providerSettings().get("lifecycleHook").isPresent(), resolved.providerSettings().get("group"),
                resolved.providerSettings().get("region").or(() -> Optional.ofNullable(
                        dev.berth.spi.UriQuery.parse(store).get("region")).filter(v -> !v.isEmpty())),
                settings.snapshots().everyMinutes() > 0);
        var network = settings.network();
        var addresses = new IamPolicy.Network(network.elasticIp() != dev.berth.core.claim.NetworkSettings.ElasticIp.NONE,
                network.pool(), network.interfaces() != dev.berth.core.claim.NetworkSettings.Interfaces.NONE);
        console.out().println(IamPolicy.json(features, addresses));
        return ExitCodes.OK;
    }
}
