package dev.berth.store.etcd;

import dev.berth.spi.ConfigException;
import dev.berth.spi.PluginConfig;
import dev.berth.spi.Redaction;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an {@code etcd://} URI and the plugin's settings say. The password never comes from
 * the URI, and {@link #toString()} never shows it.
 */
record EtcdSettings(List<URI> endpoints, String root, boolean tls, Optional<String> user, Optional<char[]> password,
                    Optional<Path> caFile, Duration timeout, Duration connectTimeout) {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);

    /** Every storeSettings key the etcd store reads; any other is an error. */
    static final Set<String> KEYS = Set.of("user", "password", "passwordFile", "caFile", "timeoutMillis",
            "connectTimeoutMillis");

    static EtcdSettings parse(URI uri, PluginConfig config) {
        config.requireOnly(KEYS);
        if (!"etcd".equalsIgnoreCase(uri.getScheme())) {
            throw new ConfigException("store URI '" + redacted(uri) + "' is not an etcd:// URI");
        }
        if (uri.getRawUserInfo() != null) {
            throw new ConfigException("store URI '" + redacted(uri) + "' carries user information: give the user as"
                    + " ?user=NAME and the password in the setting '" + config.section() + ".password' or '"
                    + config.section() + ".passwordFile', never in the URI");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isBlank()) {
            throw new ConfigException("store URI '" + redacted(uri) + "' names no etcd endpoint: write"
                    + " etcd://host:2379[,host2:2379]/prefix");
        }
        Map<String, String> query = query(uri);
        if (query.containsKey("password")) {
            throw new ConfigException("store URI '" + redacted(uri) + "' carries a password: remove it and set '"
                    + config.section() + ".password' or '" + config.section() + ".passwordFile' instead");
        }
        for (String name : query.keySet()) {
            if (!List.of("tls", "user").contains(name)) {
                throw new ConfigException("store URI '" + redacted(uri) + "' has an unknown parameter '" + name
                        + "': etcd:// takes tls=true|false and user=NAME");
            }
        }
        boolean tls = Boolean.parseBoolean(query.getOrDefault("tls", "false"));
        var endpoints = new ArrayList<URI>();
        for (String hostPort : authority.split(",")) {
            String trimmed = hostPort.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!trimmed.contains(":")) {
                trimmed = trimmed + ":2379";
            }
            endpoints.add(URI.create((tls ? "https://" : "http://") + trimmed));
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String root = path.replaceAll("^/+", "").replaceAll("/+$", "");
        root = root.isEmpty() ? "" : root + "/";

        Optional<String> user = Optional.ofNullable(query.get("user")).or(() -> config.get("user"));
        Optional<char[]> password = config.get("password").map(String::toCharArray)
                .or(() -> config.get("passwordFile").map(file -> readPassword(config, file)));
        if (password.isPresent() && user.isEmpty()) {
            throw new ConfigException("a password is set for the etcd store but no user: add ?user=NAME to the"
                    + " store URI or set '" + config.section() + ".user'");
        }
        Optional<Path> caFile = config.get("caFile").map(Path::of);
        caFile.ifPresent(ca -> {
            if (!Files.isReadable(ca)) {
                throw new ConfigException("the etcd CA file '" + ca + "' (setting '" + config.section()
                        + ".caFile') cannot be read: check the path and its permissions");
            }
        });
        if (caFile.isPresent() && !tls) {
            throw new ConfigException("setting '" + config.section() + ".caFile' is set but the store URI '"
                    + redacted(uri) + "' does not ask for TLS: add ?tls=true");
        }
        return new EtcdSettings(List.copyOf(endpoints), root, tls, user, password, caFile,
                Duration.ofMillis(positive(config, "timeoutMillis", DEFAULT_TIMEOUT)),
                Duration.ofMillis(positive(config, "connectTimeoutMillis", DEFAULT_CONNECT_TIMEOUT)));
    }

    private static long positive(PluginConfig config, String key, Duration fallback) {
        int value = config.getInt(key, (int) fallback.toMillis());
        if (value <= 0) {
            throw new ConfigException("setting '" + config.section() + "." + key + "' must be a positive number of"
                    + " milliseconds, got " + value);
        }
        return value;
    }

    private static char[] readPassword(PluginConfig config, String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip().toCharArray();
        } catch (IOException e) {
            throw new ConfigException("cannot read the etcd password file named by '" + config.section()
                    + ".passwordFile' (" + file + "): " + e.getClass().getSimpleName()
                    + "; check that it exists and is readable by this user");
        }
    }

    private static Map<String, String> query(URI uri) {
        return dev.berth.spi.UriQuery.parse(uri);
    }

    /** The URI without user info and query values, for messages. */
    static String redacted(URI uri) {
        return Redaction.uri(uri);
    }

    /** For messages: endpoints and root, never the password. */
    String describe() {
        return "etcd://" + String.join(",", endpoints.stream().map(e -> e.getHost() + ":" + e.getPort()).toList())
                + "/" + root + (tls ? " (tls)" : "") + user.map(u -> " as " + u).orElse("");
    }

    @Override
    public String toString() {
        return describe();
    }
}
