package dev.berth.aws;

import dev.berth.spi.CloudProvider;
import dev.berth.spi.CloudProviderFactory;
import dev.berth.spi.PermissionRequest;
import dev.berth.spi.PluginConfig;
import dev.berth.spi.PolicyStatement;
import java.util.List;

/**
 * CloudProvider "aws": EC2/EBS, Auto Scaling and IMDSv2. Settings: {@code region},
 * {@code endpoint}, {@code imdsEndpoint}, {@code accessKeyId}/{@code secretAccessKey},
 * {@code timeoutMillis}, {@code group}. See the plugin's README.
 */
public final class AwsCloudProviderFactory implements CloudProviderFactory {

    @Override
    public String name() {
        return "aws";
    }

    @Override
    public CloudProvider create(PluginConfig config) {
        return new AwsCloudProvider(AwsSettings.parse(config));
    }

    /** EC2, EBS and Auto Scaling, scoped by the cluster and group tags ({@link AwsPermissions}). */
    @Override
    public List<PolicyStatement> permissions(PermissionRequest request) {
        return AwsPermissions.of(request);
    }

    /** Elastic IPs and network interfaces per slot ({@link AwsNetwork}). */
    @Override
    public boolean slotNetwork() {
        return true;
    }
}
