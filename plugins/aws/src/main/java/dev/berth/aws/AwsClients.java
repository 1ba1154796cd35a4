package dev.berth.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.kms.KmsClient;

/** Builds the SDK clients the same way: explicit HTTP client, standard retries with a bound, credentials. */
final class AwsClients {
    private AwsClients() {
    }

    static Ec2Client ec2(AwsSettings settings, String region) {
        return configure(Ec2Client.builder(), settings, region).build();
    }

    static AutoScalingClient autoScaling(AwsSettings settings, String region) {
        return configure(AutoScalingClient.builder(), settings, region).build();
    }

    static KmsClient kms(AwsSettings settings, String region) {
        return configure(KmsClient.builder(), settings, region).build();
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
            B builder, AwsSettings settings, String region) {
        builder.region(Region.of(region))
                .credentialsProvider(credentials(settings))
                // explicit: the SDK's ServiceLoader search for an HTTP client does not see plugin layers
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(settings.timeout())
                        .socketTimeout(settings.timeout()))
                // no SDK retries: berth's one retry layer (core's Calls) retries throttled and unavailable calls,
                // at most waits.maxCallAttempts times, so that no call is tried more often than that
                .overrideConfiguration(c -> c.apiCallTimeout(settings.timeout())
                        .apiCallAttemptTimeout(settings.timeout())
                        .retryStrategy(AwsRetryStrategy.doNotRetry()));
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }

    /**
     * The settings' static keys, else the default chain built from providers that need no
     * ServiceLoader or reflection (no STS web identity, no SSO: those need modules this
     * plugin does not carry). The instance role comes through IMDS at {@code imdsEndpoint}.
     */
    static AwsCredentialsProvider credentials(AwsSettings settings) {
        if (settings.accessKeyId().isPresent()) {
            String id = settings.accessKeyId().get();
            String secret = settings.secretAccessKey().orElseThrow();
            AwsCredentials credentials = settings.sessionToken()
                    .<AwsCredentials>map(t -> AwsSessionCredentials.create(id, secret, t))
                    .orElseGet(() -> AwsBasicCredentials.create(id, secret));
            return StaticCredentialsProvider.create(credentials);
        }
        return AwsCredentialsProviderChain.builder()
                .reuseLastProviderEnabled(true)
                .credentialsProviders(
                        SystemPropertyCredentialsProvider.create(),
                        EnvironmentVariableCredentialsProvider.create(),
                        ProfileCredentialsProvider.create(),
                        ContainerCredentialsProvider.builder().build(),
                        InstanceProfileCredentialsProvider.builder()
                                .endpoint(settings.imdsEndpoint().toString()).build())
                .build();
    }
}
