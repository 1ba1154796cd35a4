package dev.berth.aws;

import dev.berth.spi.PluginConfig;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.kms.KmsClient;

/** moto (BERTH_TEST_MOTO, from scripts/servers.sh): raw SDK clients for set-up, and the plugin's settings. */
final class MotoWorld {
    static final String REGION = "us-east-1";
    static final List<String> ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");

    private MotoWorld() {
    }

    static URI endpoint() {
        String value = System.getenv("BERTH_TEST_MOTO");
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("BERTH_TEST_MOTO is not set: start the test servers with"
                    + " 'bash scripts/servers.sh start /tmp/berth-servers && source /tmp/berth-servers/servers.env'");
        }
        return URI.create(value);
    }

    /** The plugin's settings against moto, with the IMDS fixture as the metadata service. */
    static PluginConfig config(URI imds) {
        return new PluginConfig("cloud", Map.of(
                "region", REGION,
                "endpoint", endpoint().toString(),
                "imdsEndpoint", imds.toString(),
                "accessKeyId", "testing",
                "secretAccessKey", "testing"));
    }

    static Ec2Client ec2() {
        return Ec2Client.builder().httpClient(UrlConnectionHttpClient.create()).endpointOverride(endpoint())
                .region(Region.US_EAST_1).credentialsProvider(credentials()).build();
    }

    static AutoScalingClient autoScaling() {
        return AutoScalingClient.builder().httpClient(UrlConnectionHttpClient.create()).endpointOverride(endpoint())
                .region(Region.US_EAST_1).credentialsProvider(credentials()).build();
    }

    static KmsClient kms() {
        return KmsClient.builder().httpClient(UrlConnectionHttpClient.create()).endpointOverride(endpoint())
                .region(Region.US_EAST_1).credentialsProvider(credentials()).build();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A launch template and a group of {@code desired} instances over the three zones; returns its members. */
    static List<Instance> createGroup(String name, int desired) {
        try (var ec2 = ec2(); var asg = autoScaling()) {
            String template = name + "-lt";
            ec2.createLaunchTemplate(r -> r.launchTemplateName(template)
                    .launchTemplateData(d -> d.imageId("ami-12c6146b").instanceType("t3.micro")));
            asg.createAutoScalingGroup(r -> r.autoScalingGroupName(name)
                    .launchTemplate(t -> t.launchTemplateName(template))
                    .minSize(0).maxSize(desired + 2).desiredCapacity(desired).availabilityZones(ZONES));
            return members(name);
        }
    }

    static List<Instance> members(String group) {
        try (var asg = autoScaling()) {
            return asg.describeAutoScalingGroups(r -> r.autoScalingGroupNames(group)).autoScalingGroups().getFirst().instances();
        }
    }
}
