package dev.berth.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.CloudException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImdsTest {

    private static Imds imds(ImdsFixture fixture) {
        return new Imds(fixture.endpoint(), Duration.ofMillis(500));
    }

    @Test
    void readsWhoAmIWithASessionToken() throws Exception {
        try (var fixture = ImdsFixture.of("i-0abc", "us-east-1b", "berth-asg")) {
            var me = imds(fixture).identity();
            assertEquals("i-0abc", me.instanceId());
            assertEquals("us-east-1b", me.zone());
            assertEquals("us-east-1", me.region());
            assertEquals(Optional.of("berth-asg"), me.groupName());
            assertEquals("t3.micro", me.instanceType());
            assertEquals(Optional.of("10.0.0.12"), me.privateIp());
            assertEquals(1, fixture.tokenRequests.get(), "one token for all the GETs");
            assertEquals(0, fixture.requestsWithoutToken.get());
        }
    }

    @Test
    void publicIpv4AndTagsMissingAreEmpty() throws Exception {
        try (var fixture = ImdsFixture.of("i-0abc", "us-east-1b", null)) {
            var me = imds(fixture).identity();
            assertEquals(Optional.empty(), me.publicIp());
            assertEquals(Optional.empty(), me.groupName());
            fixture.put("meta-data/public-ipv4", "3.3.3.3");
            assertEquals(Optional.of("3.3.3.3"), imds(fixture).identity().publicIp());
        }
    }

    @Test
    void aServerErrorIsOneRetryableFailureLeftToBerthsRetryLayer() throws Exception {
        try (var fixture = ImdsFixture.of("i-0abc", "us-east-1b", "g")) {
            var imds = imds(fixture);
            imds.identity();   // a session token first
            fixture.serverErrorsToGive.set(1);
            var e = assertThrows(CloudException.class, () -> imds.require("meta-data/instance-id"));
            assertEquals(CloudException.Reason.UNAVAILABLE, e.reason());
            assertTrue(e.reason().retryable());
            assertTrue(e.getMessage().contains("'meta-data/instance-id' (HTTP 500)"), e.getMessage());
            assertEquals("i-0abc", imds.require("meta-data/instance-id"), "the next call, a retry, gets it");
        }
    }

    @Test
    void unreachableImdsIsUnavailableAndSaysWhatToCheck() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var imds = new Imds(URI.create("http://127.0.0.1:" + port), Duration.ofMillis(300));
        var e = assertThrows(CloudException.class, imds::identity);
        assertEquals(CloudException.Reason.UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().startsWith("IMDS at http://127.0.0.1:" + port + " did not give a session token"),
                e.getMessage());
        assertTrue(e.getMessage().contains("is this an EC2 instance?"), e.getMessage());
    }

    @Test
    void imdsV1OnlyIsAClearError() throws Exception {
        try (var fixture = ImdsFixture.of("i-0abc", "us-east-1b", "g")) {
            fixture.v1Only = true;
            var e = assertThrows(CloudException.class, () -> imds(fixture).identity());
            assertEquals(CloudException.Reason.INVALID, e.reason());
            assertTrue(e.getMessage().contains("refused an IMDSv2 session token (HTTP 403"), e.getMessage());
            assertTrue(e.getMessage().contains("HttpTokens=required"), e.getMessage());
            assertEquals(1, fixture.tokenRequests.get(), "a refusal is not retried");
        }
    }

    @Test
    void readsTheTargetLifecycleStateAndTheSpotNotice() throws Exception {
        try (var fixture = ImdsFixture.of("i-0abc", "us-east-1b", "g")) {
            var imds = imds(fixture);
            assertEquals(Optional.empty(), imds.spotInstanceAction());
            fixture.put("meta-data/autoscaling/target-lifecycle-state", "InService");
            assertEquals(Optional.of("InService"), imds.targetLifecycleState());
            fixture.put("meta-data/autoscaling/target-lifecycle-state", "Terminated");
            fixture.put("meta-data/spot/instance-action", "{\"action\": \"terminate\", \"time\": \"2026-01-01T00:00:00Z\"}");
            assertEquals(Optional.of("Terminated"), imds.targetLifecycleState());
            assertTrue(imds.spotInstanceAction().orElseThrow().contains("terminate"));
        }
    }

    @Test
    void theRegionOfALocalZoneIsPlacementRegionNotItsNameWithoutTheLetter() throws Exception {
        try (var fixture = ImdsFixture.of("i-0abc", "us-west-2-lax-1a", "g")) {
            fixture.put("meta-data/placement/region", "us-west-2");
            var me = imds(fixture).identity();
            assertEquals("us-west-2-lax-1a", me.zone());
            assertEquals("us-west-2", me.region());
        }
    }

    @Test
    void withoutPlacementRegionTheRegionIsNotGuessedFromTheZone() throws Exception {
        try (var fixture = ImdsFixture.of("i-0abc", "us-west-2-lax-1a", "g")) {
            fixture.remove("meta-data/placement/region");
            var e = assertThrows(CloudException.class, () -> imds(fixture).identity());
            assertEquals(CloudException.Reason.INVALID, e.reason());
            assertTrue(e.getMessage().contains("'meta-data/placement/region'"), e.getMessage());
        }
    }
}
