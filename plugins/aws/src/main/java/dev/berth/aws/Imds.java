package dev.berth.aws;

import dev.berth.spi.CloudException;
import dev.berth.spi.CloudException.Reason;
import dev.berth.spi.InstanceIdentity;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The instance metadata service, IMDSv2 only: a session token from {@code PUT /latest/api/token},
 * then GETs carrying it. One request per call: a service that does not answer (or answers 401 or
 * 5xx, as IMDS does for the first seconds of some boots) is {@link Reason#UNAVAILABLE}, which
 * berth's one retry layer (core's {@code Calls}) retries within its bound; one that refuses tokens
 * (IMDSv1 only, or disabled) is {@link Reason#INVALID}.
 */
final class Imds {
    static final String TOKEN_TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
    static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
    private static final int TOKEN_TTL_SECONDS = 21_600;
    private static final long TOKEN_REFRESH_MILLIS = (TOKEN_TTL_SECONDS - 600) * 1000L;

    private final URI endpoint;
    private final Duration timeout;
    private final HttpClient http;
    private String token;
    private long tokenAtMillis;

    Imds(URI endpoint, Duration timeout) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Who am I, without the group when instance tags are not in the metadata (the caller asks Auto Scaling). */
    InstanceIdentity identity() {
        String instanceId = require("meta-data/instance-id");
        String zone = require("meta-data/placement/availability-zone");
        // only placement/region: a Local Zone's or Wavelength Zone's name (us-west-2-lax-1a) is no region plus a letter
        String region = require("meta-data/placement/region");
        String type = get("meta-data/instance-type").orElse("unknown");
        return new InstanceIdentity(instanceId, zone, region,
                get("meta-data/tags/instance/aws:autoscaling:groupName"), type,
                get("meta-data/local-ipv4"), get("meta-data/public-ipv4"));
    }

    /** Auto Scaling's target lifecycle state for this instance ("InService", "Terminated", ...), if published. */
    Optional<String> targetLifecycleState() {
        return get("meta-data/autoscaling/target-lifecycle-state");
    }

    /** The spot interruption notice (JSON with action and time), if one was given. */
    Optional<String> spotInstanceAction() {
        return get("meta-data/spot/instance-action");
    }

    String require(String path) {
        return get(path).orElseThrow(() -> new CloudException(Reason.INVALID, endpoint + "/latest/" + path,
                "IMDS at " + endpoint + " has no '" + path + "' (HTTP 404): this does not look like the metadata of an"
                        + " EC2 instance; check the setting 'imdsEndpoint'"));
    }

    /** A metadata value; empty when IMDS answers 404 (public-ipv4 without a public address, tags when off). */
    synchronized Optional<String> get(String path) {
        String failure;
        try {
            var request = HttpRequest.newBuilder(endpoint.resolve("/latest/" + path)).timeout(timeout)
                    .header(TOKEN_HEADER, token()).GET().build();
            var response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 200) {
                return Optional.of(response.body().strip()).filter(v -> !v.isEmpty());
            }
            if (status == 404) {
                return Optional.empty();
            }
            if (status == 401) {
                token = null; // expired or rejected: a fresh token on the next call
            }
            failure = "HTTP " + status;
        } catch (IOException e) {
            failure = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudException(Reason.UNAVAILABLE, endpoint.toString(), "interrupted while reading '" + path
                    + "' from IMDS at " + endpoint);
        }
        throw new CloudException(Reason.UNAVAILABLE, endpoint.toString(), "IMDS at " + endpoint + " did not give '"
                + path + "' (" + failure + "): berth retries; if this lasts, check the instance's metadata options");
    }

    private String token() throws InterruptedException {
        if (token != null && System.currentTimeMillis() - tokenAtMillis < TOKEN_REFRESH_MILLIS) {
            return token;
        }
        String failure;
        try {
            var request = HttpRequest.newBuilder(endpoint.resolve("/latest/api/token")).timeout(timeout)
                    .header(TOKEN_TTL_HEADER, Integer.toString(TOKEN_TTL_SECONDS))
                    .PUT(HttpRequest.BodyPublishers.noBody()).build();
            var response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 200 && !response.body().isBlank()) {
                token = response.body().strip();
                tokenAtMillis = System.currentTimeMillis();
                return token;
            }
            if (status == 403 || status == 405 || status == 404) {
                throw new CloudException(Reason.INVALID, endpoint.toString(), "IMDS at " + endpoint
                        + " refused an IMDSv2 session token (HTTP " + status + " on PUT /latest/api/token): berth"
                        + " speaks IMDSv2 only. Enable it on the instance or launch template (metadata options"
                        + " HttpEndpoint=enabled, HttpTokens=required), and in a container raise"
                        + " HttpPutResponseHopLimit to 2");
            }
            failure = "HTTP " + status;
        } catch (IOException e) {
            failure = e.toString();
        }
        throw new CloudException(Reason.UNAVAILABLE, endpoint.toString(), "IMDS at " + endpoint + " did not give a"
                + " session token (" + failure + "): is this an EC2 instance? If it is, check that the metadata service"
                + " is enabled (HttpEndpoint=enabled) and, in a container, that HttpPutResponseHopLimit is at least 2;"
                + " outside EC2 use another cloud provider");
    }

    URI endpoint() {
        return endpoint;
    }
}
