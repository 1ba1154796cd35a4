package dev.berth.aws;

import dev.berth.spi.BerthException;
import dev.berth.spi.PluginConfig;
import java.util.Map;

/**
 * Run by {@link NoCredentialsTest} in a JVM of its own, with no AWS variables in its environment:
 * asks EC2 for a volume through the provider's default credential chain and prints the error.
 */
public final class NoCredentialsProbe {
    private NoCredentialsProbe() {
    }

    public static void main(String[] args) {
        var closed = "http://127.0.0.1:" + args[0];
        var settings = new PluginConfig("providerSettings", Map.of("region", "us-east-1", "endpoint", closed,
                "imdsEndpoint", closed, "imdsTimeoutMillis", "300",
                "timeoutMillis", "2000"));
        try (var provider = new AwsCloudProviderFactory().create(settings)) {
            provider.describeVolume("vol-0123456789abcdef0");
            System.out.println("no error");
        } catch (BerthException e) {
            System.out.println(e.getMessage());
        }
    }
}
