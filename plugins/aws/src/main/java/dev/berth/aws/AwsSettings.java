package dev.berth.aws;

import dev.berth.spi.ConfigException;
import dev.berth.spi.PluginConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of the {@code aws} cloud provider and the {@code kms} key provider. Secrets are
 * never shown in {@link #toString()}. There is no retry setting here: the SDK does not retry,
 * berth's one retry layer does (core's {@code Calls}: {@code waits.maxCallAttempts}).
 *
 * <ul>
 *   <li>{@code region}: else the instance's region from IMDS (or the KMS key ARN's region)</li>
 *   <li>{@code endpoint}: one endpoint for EC2, Auto Scaling and KMS (tests point it at moto)</li>
 *   <li>{@code imdsEndpoint}: default {@code http://169.254.169.254}</li>
 *   <li>{@code accessKeyId}/{@code secretAccessKey}/{@code sessionToken}: else the default chain</li>
 *   <li>{@code timeoutMillis}: per API call attempt, default 20000</li>
 *   <li>{@code imdsTimeoutMillis}: per IMDS request, default 1000</li>
 *   <li>{@code group}: the Auto Scaling group name, else from IMDS tags or DescribeAutoScalingInstances</li>
 *   <li>{@code keyId}: the KMS key (id, ARN or alias) of the {@code kms} key provider</li>
 * </ul>
 */
record AwsSettings(String section, Optional<String> region, Optional<URI> endpoint, URI imdsEndpoint,
                   Optional<String> accessKeyId, Optional<String> secretAccessKey, Optional<String> sessionToken,
                   Duration timeout, Duration imdsTimeout, Optional<String> group,
                   Optional<String> keyId, Optional<String> lifecycleHook) {

    static final URI DEFAULT_IMDS = URI.create("http://169.254.169.254");
    /** Every key the aws provider and the kms key provider read; any other is an error. */
    static final Set<String> KEYS = Set.of("region", "endpoint", "imdsEndpoint", "accessKeyId", "secretAccessKey",
            "sessionToken", "maxAttempts", "timeoutMillis", "imdsAttempts", "imdsTimeoutMillis", "group", "keyId",
            "lifecycleHook");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

    /** Settings of earlier versions that would now be silently wrong: refused with what to set instead. */
    private static final Set<String> RETIRED = Set.of("maxAttempts", "imdsAttempts");

    static AwsSettings parse(PluginConfig config) {
        config.requireOnly(KEYS);
        String s = config.section();
        for (var key : RETIRED) {
            if (config.get(key).isPresent()) {
                throw new ConfigException("setting '" + s + "." + key + "' is no longer read: the AWS SDK and IMDS"
                        + " client do not retry; berth retries every call itself, at most waits.maxCallAttempts times"
                        + " (default 8). Remove '" + key + "' (and set waits.maxCallAttempts if you need another bound)");
            }
        }
        var region = config.get("region").map(String::trim);
        region.ifPresent(r -> {
            if (!REGION.matcher(r).matches()) {
                throw new ConfigException("setting '" + s + ".region' is '" + r + "', which is not an AWS region name:"
                        + " give one such as us-east-1 (or leave it out to use the instance's region)");
            }
        });
        var endpoint = config.get("endpoint").map(e -> uri(s, "endpoint", e));
        var imds = config.get("imdsEndpoint").map(e -> uri(s, "imdsEndpoint", e)).orElse(DEFAULT_IMDS);
        var accessKeyId = config.get("accessKeyId");
        var secretAccessKey = config.get("secretAccessKey");
        if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
            throw new ConfigException("set both '" + s + ".accessKeyId' and '" + s + ".secretAccessKey', or neither"
                    + " (then the default credential chain is used: environment, profile, container, instance role)");
        }
        int timeoutMillis = positive(config, "timeoutMillis", 20_000);
        int imdsTimeoutMillis = positive(config, "imdsTimeoutMillis", 1_000);
        return new AwsSettings(s, region, endpoint, imds, accessKeyId, secretAccessKey, config.get("sessionToken"),
                Duration.ofMillis(timeoutMillis), Duration.ofMillis(imdsTimeoutMillis),
                config.get("group"), config.get("keyId"), config.get("lifecycleHook"));
    }

    private static int positive(PluginConfig config, String key, int fallback) {
        int value = config.getInt(key, fallback);
        if (value <= 0) {
            throw new ConfigException("setting '" + config.section() + "." + key + "' must be positive, got " + value);
        }
        return value;
    }

    private static URI uri(String section, String key, String value) {
        try {
            var uri = URI.create(value.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("setting '" + section + "." + key + "' is '" + value
                    + "', which is not an http(s) URL: give one such as http://127.0.0.1:5000");
        }
    }

    @Override
    public String toString() {
        return "AwsSettings[region=" + region.orElse("(from IMDS)") + endpoint.map(e -> ", endpoint=" + e).orElse("")
                + ", imds=" + imdsEndpoint + ", credentials=" + (accessKeyId.isPresent() ? "static" : "default chain") + "]";
    }
}
