package dev.berth.aws;

import dev.berth.store.tck.TestServers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.CloudException;
import dev.berth.spi.PluginConfig;
import dev.berth.spi.VolumeRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A missing permission as the server says it: a moto of its own that enforces IAM (after its first
 * three unauthenticated calls, which create a user allowed to describe volumes only). CreateVolume
 * is then refused by the server with AccessDenied, and berth names the action and what to grant.
 */
class AccessDeniedFromServerTest {

    @Test
    void aRefusedCreateVolumeNamesTheActionAndThePermissionToAdd() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        var log = Files.createTempFile("moto-iam", ".log");
        var pb = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("INITIAL_NO_AUTH_ACTION_COUNT", "3");
        Process moto;
        try {
            moto = pb.start();
        } catch (java.io.IOException e) {
            TestServers.need(false, "moto_server is not on the PATH (" + e.getMessage() + "): install moto 5.2.1 in the machine's Python");
            return;
        }
        var endpoint = URI.create("http://127.0.0.1:" + port);
        try (var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
             var imds = ImdsFixture.of("i-0aaaaaaaaaaaaaaaa", "us-east-1a", "g")) {
            waitUntilUp(http, endpoint);
            iam(http, endpoint, Map.of("Action", "CreateUser", "UserName", "berth"));
            var key = iam(http, endpoint, Map.of("Action", "CreateAccessKey", "UserName", "berth"));
            iam(http, endpoint, Map.of("Action", "PutUserPolicy", "UserName", "berth", "PolicyName", "describe-only",
                    "PolicyDocument", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                            + "\"Action\":[\"ec2:DescribeVolumes\"],\"Resource\":\"*\"}]}"));
            var config = new PluginConfig("cloud", Map.of("region", "us-east-1", "endpoint", endpoint.toString(),
                    "imdsEndpoint", imds.endpoint().toString(), "accessKeyId", tag(key, "AccessKeyId"),
                    "secretAccessKey", tag(key, "SecretAccessKey")));
            try (var provider = new AwsCloudProviderFactory().create(config)) {
                var request = new VolumeRequest("us-east-1a", 1, "gp3", OptionalInt.empty(), OptionalInt.empty(), false,
                        Optional.empty(), Optional.empty(), Map.of("berth:cluster", "denied", "berth:slot", "0"),
                        "berth-denied-0");
                var e = assertThrows(CloudException.class, () -> provider.createVolume(request));
                assertEquals(CloudException.Reason.ACCESS_DENIED, e.reason());
                assertTrue(e.getMessage().contains("ec2:CreateVolume"), e.getMessage());
                assertTrue(e.getMessage().toLowerCase().contains("iam") || e.getMessage().contains("permission"),
                        e.getMessage());
            }
        } finally {
            moto.destroy();
            if (!moto.waitFor(10, TimeUnit.SECONDS)) {
                moto.destroyForcibly();
            }
            Files.deleteIfExists(log);
        }
    }

    private static void waitUntilUp(HttpClient http, URI endpoint) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                // not an AWS action: does not count against moto's unauthenticated calls
                http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("moto_server did not answer on " + endpoint + " in 30 s", e);
                }
                Thread.sleep(200);
            }
        }
    }

    /** One IAM query-API call, unsigned (moto lets the first three through). */
    private static String iam(HttpClient http, URI endpoint, Map<String, String> params) throws Exception {
        var form = new StringBuilder("Version=2010-05-08");
        params.forEach((k, v) -> form.append('&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        var response = http.send(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Authorization", "AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/iam/aws4_request")
                        .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), params.get("Action") + ": " + response.body());
        return response.body();
    }

    private static String tag(String xml, String name) {
        var m = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(xml);
        assertTrue(m.find(), name + " in the IAM answer");
        return m.group(1);
    }
}
