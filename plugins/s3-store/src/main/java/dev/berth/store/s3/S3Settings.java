package dev.berth.store.s3;

import dev.berth.spi.ConfigException;
import dev.berth.spi.PluginConfig;
import dev.berth.spi.Redaction;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What an {@code s3://} URI and the plugin's settings say. Secrets are never shown. */
record S3Settings(String bucket, String root, String region, Optional<URI> endpoint, boolean pathStyle,
                  Optional<String> accessKeyId, Optional<String> secretAccessKey, Optional<String> sessionToken,
                  Duration timeout, int gcKeep, Duration gcGrace) {

    static final List<String> URI_PARAMETERS = List.of("region", "endpoint", "pathStyle");

    /** Every storeSettings key the S3 store reads; any other is an error. */
    static final Set<String> KEYS = Set.of("region", "endpoint", "pathStyle", "accessKeyId", "secretAccessKey",
            "sessionToken", "timeoutMillis", "gcKeep", "gcGraceSeconds");

    static S3Settings parse(URI uri, PluginConfig config) {
        config.requireOnly(KEYS);
        if (!"s3".equalsIgnoreCase(uri.getScheme())) {
            throw new ConfigException("store URI '" + safe(uri) + "' is not an s3:// URI");
        }
        if (uri.getRawUserInfo() != null) {
            throw new ConfigException("store URI '" + safe(uri) + "' carries user information: set '"
                    + config.section() + ".accessKeyId' and '" + config.section() + ".secretAccessKey' (or use the"
                    + " default credential chain), never credentials in the URI");
        }
        String bucket = uri.getHost();
        if (bucket == null || bucket.isBlank()) {
            throw new ConfigException("store URI '" + safe(uri) + "' names no bucket: write s3://bucket/prefix");
        }
        var query = query(uri);
        for (String name : query.keySet()) {
            if (!URI_PARAMETERS.contains(name)) {
                throw new ConfigException("store URI '" + safe(uri) + "' has an unknown parameter '" + name
                        + "': s3:// takes region, endpoint and pathStyle (credentials go in the settings)");
            }
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String root = path.replaceAll("^/+", "").replaceAll("/+$", "");
        root = root.isEmpty() ? "" : root + "/";
        String region = Optional.ofNullable(query.get("region")).filter(r -> !r.isBlank())
                .orElse(config.get("region", "us-east-1"));
        Optional<URI> endpoint = Optional.ofNullable(query.get("endpoint")).filter(e -> !e.isBlank())
                .or(() -> config.get("endpoint")).map(URI::create);
        boolean pathStyle = Boolean.parseBoolean(Optional.ofNullable(query.get("pathStyle"))
                .orElse(config.get("pathStyle", "false")));
        var accessKeyId = config.get("accessKeyId");
        var secretAccessKey = config.get("secretAccessKey");
        if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
            throw new ConfigException("set both '" + config.section() + ".accessKeyId' and '" + config.section()
                    + ".secretAccessKey', or neither (then the SDK's default credential chain is used)");
        }
        int timeoutMillis = config.getInt("timeoutMillis", 10_000);
        int gcKeep = config.getInt("gcKeep", 8);
        int gcGraceSeconds = config.getInt("gcGraceSeconds", 3600);
        if (timeoutMillis <= 0) {
            throw new ConfigException("setting '" + config.section() + ".timeoutMillis' must be positive, got " + timeoutMillis);
        }
        if (gcKeep != 0 && gcKeep < 2) {
            throw new ConfigException("setting '" + config.section() + ".gcKeep' must be 0 (no garbage collection) or"
                    + " at least 2 (the newest two sequences are never collected), got " + gcKeep);
        }
        if (gcGraceSeconds < 0) {
            throw new ConfigException("setting '" + config.section() + ".gcGraceSeconds' must not be negative");
        }
        return new S3Settings(bucket, root, region, endpoint, pathStyle, accessKeyId, secretAccessKey,
                config.get("sessionToken"), Duration.ofMillis(timeoutMillis), gcKeep, Duration.ofSeconds(gcGraceSeconds));
    }

    private static Map<String, String> query(URI uri) {
        return dev.berth.spi.UriQuery.parse(uri);
    }

    private static String safe(URI uri) {
        return Redaction.uri(uri);
    }

    String describe() {
        return "s3://" + bucket + "/" + root + endpoint.map(e -> " (endpoint " + e + ")").orElse(" (region " + region + ")");
    }

    @Override
    public String toString() {
        return describe();
    }
}
