package dev.berth.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.spi.PluginConfig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The provider's self() carries IMDS's public-ipv4 (what BERTH_PUBLIC_IP is written from), absent on a 404. */
class AwsSelfPublicIpTest {

    private static AwsCloudProvider provider(ImdsFixture fixture) {
        return (AwsCloudProvider) new AwsCloudProviderFactory().create(new PluginConfig("providerSettings", Map.of(
                "imdsEndpoint", fixture.endpoint().toString(), "group", "berth-asg")));
    }

    @Test
    void selfHasThePublicIpv4WhenTheInstanceHasOneAndNoneOnA404() throws Exception {
        try (var fixture = ImdsFixture.of("i-0abc", "us-east-1b", null)) {
            fixture.remove("meta-data/public-ipv4");
            try (var provider = provider(fixture)) {
                assertEquals(Optional.empty(), provider.self().publicIp(), "IMDS answers 404: no public address");
                assertEquals(Optional.of("10.0.0.12"), provider.self().privateIp());
            }
            fixture.put("meta-data/public-ipv4", "3.3.3.3");
            try (var provider = provider(fixture)) {
                assertEquals(Optional.of("3.3.3.3"), provider.self().publicIp());
                assertEquals(Optional.of("berth-asg"), provider.self().groupName());
            }
        }
    }
}
