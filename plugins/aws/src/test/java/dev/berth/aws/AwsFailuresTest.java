package dev.berth.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.CloudException.Reason;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * The mapping of SDK failures, with real SDK exceptions built by the SDK's builders: moto does
 * not deny permissions (no IAM enforcement on a shared server) and does not throttle.
 */
class AwsFailuresTest {

    private static Ec2Exception ec2(String code, int status, String message) {
        return (Ec2Exception) Ec2Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("EC2").build())
                .build();
    }

    @Test
    void accessDeniedNamesTheActionAndThePermissionToAdd() {
        var e = AwsFailures.translate("ec2:AttachVolume", "vol-1", "attach volume vol-1 to instance i-1",
                ec2("UnauthorizedOperation", 403, "You are not authorized to perform this operation."));
        assertEquals(Reason.ACCESS_DENIED, e.reason());
        assertFalse(e.reason().retryable());
        assertEquals("vol-1", e.resource());
        assertTrue(e.getMessage().startsWith("AWS refused to attach volume vol-1 to instance i-1 (ec2:AttachVolume:"
                + " UnauthorizedOperation"), e.getMessage());
        assertTrue(e.getMessage().contains("add 'ec2:AttachVolume' to the instance role's policy"), e.getMessage());

        var asg = AutoScalingException.builder().statusCode(403)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage("denied").build()).build();
        var denied = AwsFailures.translate("autoscaling:SetInstanceHealth", "i-1", "mark instance i-1 unhealthy", asg);
        assertEquals(Reason.ACCESS_DENIED, denied.reason());
        assertTrue(denied.getMessage().contains("'autoscaling:SetInstanceHealth'"), denied.getMessage());
    }

    @Test
    void badCredentialsSayToCheckTheRole() {
        var e = AwsFailures.translate("ec2:DescribeVolumes", "vol-1", "describe volume vol-1", ec2("AuthFailure", 401, "x"));
        assertEquals(Reason.ACCESS_DENIED, e.reason());
        assertTrue(e.getMessage().contains("credentials were not accepted"), e.getMessage());
    }

    @Test
    void throttlingIsThrottled() {
        assertEquals(Reason.THROTTLED, AwsFailures.translate("ec2:CreateVolume", "us-east-1a", "create",
                ec2("RequestLimitExceeded", 503, "Request limit exceeded.")).reason());
        assertEquals(Reason.THROTTLED, AwsFailures.reason("Throttling", 400));
        assertEquals(Reason.THROTTLED, AwsFailures.reason(null, 429));
    }

    @Test
    void volumeInUseAndIncorrectStateAreConflictsTheCallerWaitsOutNotRetriesOfTheSameCall() {
        for (String code : new String[] {"VolumeInUse", "IncorrectState"}) {
            var e = AwsFailures.translate("ec2:AttachVolume", "vol-1", "attach volume vol-1", ec2(code, 400, "busy"));
            assertEquals(Reason.CONFLICT, e.reason(), code);
            assertFalse(e.reason().retryable(), "a state, waited out by the claim's holder wait, not by the retry layer");
        }
    }

    @Test
    void notFoundAndInvalid() {
        assertEquals(Reason.NOT_FOUND, AwsFailures.reason("InvalidVolume.NotFound", 400));
        assertEquals(Reason.NOT_FOUND, AwsFailures.reason("InvalidInstanceID.NotFound", 400));
        assertEquals(Reason.INVALID, AwsFailures.reason("InvalidZone.NotFound", 400));
        assertEquals(Reason.INVALID, AwsFailures.reason("InvalidVolume.ZoneMismatch", 400));
        assertEquals(Reason.INVALID, AwsFailures.reason("InvalidParameterValue", 400));
        assertEquals(Reason.INVALID, AwsFailures.reason("IdempotentParameterMismatch", 400));
        assertEquals(Reason.INVALID, AwsFailures.reason("ValidationError", 400));
        assertEquals(Reason.UNAVAILABLE, AwsFailures.reason("InternalError", 500));
        assertEquals(Reason.UNAVAILABLE, AwsFailures.reason(null, 503));
    }

    @Test
    void anUnresolvableEndpointPointsAtTheRegion() {
        var e = AwsFailures.translate("ec2:DescribeVolumes", "vol-1", "describe volume vol-1",
                SdkClientException.create("Unable to execute HTTP request", new UnknownHostException("ec2.xx-nowhere-1.amazonaws.com")));
        assertEquals(Reason.INVALID, e.reason());
        assertTrue(e.getMessage().contains("check the setting 'region'"), e.getMessage());
    }

    @Test
    void messagesCarryNoCredentials() {
        var e = AwsFailures.translate("ec2:CreateVolume", "us-east-1a", "create a volume", ec2("AuthFailure", 401,
                "AWS was not able to validate the provided access credentials"));
        assertFalse(e.getMessage().contains("testing"));
    }
}
