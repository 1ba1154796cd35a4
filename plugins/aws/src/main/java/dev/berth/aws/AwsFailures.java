package dev.berth.aws;

import dev.berth.spi.CloudException;
import dev.berth.spi.CloudException.Reason;
import java.net.UnknownHostException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns an SDK failure into a {@link CloudException} that names the action, the resource,
 * and what to do. Never includes credentials.
 */
final class AwsFailures {
    private static final Set<String> THROTTLING = Set.of("RequestLimitExceeded", "Throttling", "ThrottlingException",
            "TooManyRequestsException", "RequestThrottled", "RequestThrottledException", "SlowDown",
            "ProvisionedThroughputExceededException", "EC2ThrottledException", "LimitExceededException");
    private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
            "Client.UnauthorizedOperation", "KMSAccessDeniedException");
    private static final Set<String> BAD_CREDENTIALS = Set.of("AuthFailure", "InvalidClientTokenId",
            "UnrecognizedClientException", "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException",
            "InvalidAccessKeyId", "IncompleteSignature");
    private static final Set<String> CONFLICT = Set.of("VolumeInUse", "IncorrectState", "IncorrectInstanceState",
            "ResourceInUse", "ScalingActivityInProgress", "ScalingActivityInProgressFault", "ResourceContention",
            "InvalidVolume.InUse", "KMSInvalidStateException", "ConcurrentModificationException");
    private static final Set<String> UNAVAILABLE = Set.of("InternalError", "InternalFailure", "ServiceUnavailable",
            "Unavailable", "InsufficientVolumeCapacity", "KMSInternalException", "DependencyTimeoutException");

    private AwsFailures() {
    }

    /**
     * @param action     the API action as IAM names it ("ec2:AttachVolume")
     * @param resource   what the call was about (volume id, instance id, group)
     * @param what       the call in words ("attach volume vol-1 to i-1")
     */
    static CloudException translate(String action, String resource, String what, SdkException e) {
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            int status = service.statusCode();
            String message = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorMessage();
            String said = "AWS refused to " + what + " (" + action + ": " + (code == null ? "HTTP " + status : code)
                    + (message == null || message.isBlank() || "None".equals(message) ? "" : ", \"" + message + "\"") + ")";
            Reason reason = reason(code, status);
            String advice = switch (reason) {
                case THROTTLED -> ": the request rate was exceeded even after the SDK's retries; berth retries with"
                        + " backoff; if this lasts, stagger the boots or raise the account's API limits";
                case ACCESS_DENIED -> BAD_CREDENTIALS.contains(code)
                        ? ": the credentials were not accepted; check the instance role (or the settings"
                        + " accessKeyId/secretAccessKey) and the region"
                        : ": add '" + action + "' to the instance role's policy for " + resource
                        + " (print the whole least-privilege policy with 'berth iam-policy')";
                case NOT_FOUND -> ": " + resource + " is unknown in this region (or not visible yet: describe calls"
                        + " lag behind writes); check the id and the region";
                case CONFLICT -> ": " + resource + " is in a state that forbids this now (in use, or busy); berth"
                        + " waits and retries";
                case INVALID -> ": check the configuration (region, zone, volume type and size, ids)";
                case UNAVAILABLE -> ": the service did not answer properly; berth retries, check the endpoint and"
                        + " the AWS health dashboard if this lasts";
                case TOKEN_MISMATCH -> ": the client token was used before with other parameters (the configuration"
                        + " changed while a creation was pending); berth makes a new creation intent";
            };
            return new CloudException(reason, resource, said + advice, e);
        }
        if (e instanceof ApiCallTimeoutException) {
            return new CloudException(Reason.UNAVAILABLE, resource, "AWS did not answer in time to " + what + " ("
                    + action + "): check the network path to the endpoint; berth retries", e);
        }
        if (e instanceof SdkClientException && missingCredentials(e)) {
            // the SDK's own text lists every provider of the chain with its reason: 1,500 characters
            // that bury the point; say it in one line (never a key: none was found)
            return new CloudException(Reason.ACCESS_DENIED, resource, "could not " + what + " (" + action + "): no AWS"
                    + " credentials found; berth looked in the settings accessKeyId/secretAccessKey, the environment"
                    + " (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), the profile (~/.aws/credentials, AWS_PROFILE), the"
                    + " container credentials endpoint and the instance role (IMDS at the setting 'imdsEndpoint'): attach"
                    + " an instance profile with a role to the instance (print its policy with 'berth iam-policy'), or"
                    + " set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", e);
        }
        if (e instanceof SdkClientException && hasCause(e, UnknownHostException.class)) {
            return new CloudException(Reason.INVALID, resource, "could not " + what + " (" + action + "): the endpoint's"
                    + " host name does not resolve (" + rootMessage(e) + "); check the setting 'region' (a region"
                    + " name such as us-east-1) or 'endpoint', and the instance's DNS", e);
        }
        return new CloudException(Reason.UNAVAILABLE, resource, "could not " + what + " (" + action + "): "
                + rootMessage(e) + "; check the endpoint, the region and the network", e);
    }

    static Reason reason(String code, int status) {
        if (code != null) {
            if (THROTTLING.contains(code)) {
                return Reason.THROTTLED;
            }
            if (DENIED.contains(code) || BAD_CREDENTIALS.contains(code)) {
                return Reason.ACCESS_DENIED;
            }
            if (CONFLICT.contains(code)) {
                return Reason.CONFLICT;
            }
            if (code.equals("IdempotentParameterMismatch")) {
                return Reason.TOKEN_MISMATCH;
            }
            if (code.equals("InvalidZone.NotFound") || code.equals("InvalidVolume.ZoneMismatch")) {
                return Reason.INVALID;
            }
            if (code.endsWith(".NotFound") || code.endsWith("NotFoundException") || code.equals("NotFound")) {
                return Reason.NOT_FOUND;
            }
            if (UNAVAILABLE.contains(code)) {
                return Reason.UNAVAILABLE;
            }
            if (code.startsWith("Invalid") || code.startsWith("Missing") || code.equals("ValidationError")
                    || code.equals("ValidationException")
                    || code.equals("OptInRequired") || code.equals("UnsupportedOperation")) {
                return Reason.INVALID;
            }
        }
        if (status == 429) {
            return Reason.THROTTLED;
        }
        if (status == 403) {
            return Reason.ACCESS_DENIED;
        }
        if (status >= 500 || status == 0) {
            return Reason.UNAVAILABLE;
        }
        return Reason.INVALID;
    }

    /** The default chain found no provider with credentials ("Unable to load credentials from any of ..."). */
    static boolean missingCredentials(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith("Unable to load credentials")) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
    }
}
