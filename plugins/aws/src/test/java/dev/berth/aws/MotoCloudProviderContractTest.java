package dev.berth.aws;

import dev.berth.spi.CloudProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The provider contract, run against the AWS provider on moto, as one member of a fresh three-instance group. */
class MotoCloudProviderContractTest extends dev.berth.provider.tck.CloudProviderContract {
    private static ImdsFixture imds;
    private static CloudProvider provider;

    @BeforeAll
    static void setUp() throws Exception {
        String group = MotoWorld.unique("contract");
        var self = MotoWorld.createGroup(group, 3).getFirst();
        imds = ImdsFixture.of(self.instanceId(), self.availabilityZone(), group);
        provider = new AwsCloudProviderFactory().create(MotoWorld.config(imds.endpoint()));
    }

    @AfterAll
    static void tearDown() {
        provider.close();
        imds.close();
    }

    @Override
    protected CloudProvider provider() {
        return provider;
    }

    @Override
    protected int expectedDesiredCapacity() {
        return 3;
    }
}
