package dev.berth.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.CloudException;
import dev.berth.spi.PluginConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A configured region that is not the instance's own is refused before any call, naming both. */
class WrongRegionTest {

    @Test
    void aRegionSettingThatIsNotTheInstancesOwnIsAClearError() throws Exception {
        try (var imds = ImdsFixture.of("i-0abc", "us-east-1b", "g")) {
            var config = new PluginConfig("providerSettings", Map.of("region", "eu-west-1",
                    "imdsEndpoint", imds.endpoint().toString(), "accessKeyId", "testing", "secretAccessKey", "testing"));
            try (var provider = new AwsCloudProviderFactory().create(config)) {
                var e = assertThrows(CloudException.class, provider::self);
                assertEquals(CloudException.Reason.INVALID, e.reason());
                assertTrue(e.getMessage().contains("eu-west-1") && e.getMessage().contains("us-east-1")
                        && e.getMessage().contains("i-0abc"), e.getMessage());
            }
        }
    }
}
