package dev.berth.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.spi.CloudProviderFactory;
import dev.berth.spi.KeyProviderFactory;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ServiceRegistrationTest {

    @Test
    void providesAwsAndKms() {
        assertEquals("aws", ServiceLoader.load(CloudProviderFactory.class).stream()
                .filter(p -> p.type() == AwsCloudProviderFactory.class).findFirst().orElseThrow().get().name());
        assertEquals("kms", ServiceLoader.load(KeyProviderFactory.class).stream()
                .filter(p -> p.type() == KmsKeyProviderFactory.class).findFirst().orElseThrow().get().name());
    }
}
