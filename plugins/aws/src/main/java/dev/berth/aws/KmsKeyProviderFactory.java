package dev.berth.aws;

import dev.berth.spi.KeyProvider;
import dev.berth.spi.KeyProviderFactory;
import dev.berth.spi.PermissionRequest;
import dev.berth.spi.PluginConfig;
import dev.berth.spi.PolicyStatement;
import java.util.List;

/**
 * KeyProvider "kms". Settings: {@code keyId} (key id, ARN or alias), and the same
 * {@code region}/{@code endpoint}/credential settings as the {@code aws} cloud provider. The
 * region is the setting, else the key ARN's, else the instance's (IMDS).
 */
public final class KmsKeyProviderFactory implements KeyProviderFactory {

    @Override
    public String name() {
        return "kms";
    }

    @Override
    public KeyProvider create(PluginConfig config) {
        var settings = AwsSettings.parse(config);
        String keyId = config.require("keyId");
        var region = settings.region().or(() -> arnRegion(keyId));
        return new KmsKeyProvider(keyId, () -> AwsClients.kms(settings, region.orElseGet(
                () -> new Imds(settings.imdsEndpoint(), settings.imdsTimeout()).identity().region())));
    }

    /** GenerateDataKey and Decrypt on the key, with the cluster's encryption context ({@link KmsPermissions}). */
    @Override
    public List<PolicyStatement> permissions(PermissionRequest request) {
        return KmsPermissions.of(request);
    }

    /** arn:aws:kms:REGION:ACCOUNT:key/ID → REGION. */
    static java.util.Optional<String> arnRegion(String keyId) {
        var parts = keyId.split(":");
        return parts.length >= 6 && parts[0].equals("arn") && !parts[3].isEmpty()
                ? java.util.Optional.of(parts[3]) : java.util.Optional.empty();
    }
}
