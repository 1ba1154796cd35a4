package dev.berth.store.etcd;

import dev.berth.spi.StoreException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * Turns what etcd's JSON gateway answers (an error body with a gRPC code, an HTTP status) and
 * what the transport throws into {@link StoreException}s that say whether to retry and name the
 * endpoint.
 */
final class EtcdFailures {
    /** gRPC status codes the gateway puts in its error bodies. */
    static final int CANCELLED = 1;
    static final int DEADLINE_EXCEEDED = 4;
    static final int RESOURCE_EXHAUSTED = 8;
    static final int ABORTED = 10;
    static final int UNAVAILABLE = 14;
    static final int PERMISSION_DENIED = 7;
    static final int UNAUTHENTICATED = 16;

    private EtcdFailures() {
    }

    static boolean retryable(int code) {
        return code == UNAVAILABLE || code == DEADLINE_EXCEEDED || code == ABORTED || code == RESOURCE_EXHAUSTED
                || code == CANCELLED;
    }

    /** An error answer: the member answered, with a gRPC code (or -1 when the body said none) and an HTTP status. */
    static StoreException refused(String store, String endpoint, String operation, String key, int status,
                                  EtcdJson.Error error) {
        int code = error == null ? -1 : error.code();
        String detail = error == null || error.message().isEmpty() ? "HTTP " + status : error.message();
        String what = "etcd at " + store + " (endpoint " + endpoint + ") refused " + operation + " of '" + key + "' ("
                + codeName(code, status) + ": " + detail + ")";
        if (retryable(code) || (code < 0 && status >= 500)) {
            return new StoreException(what + "; check that etcd runs and has a leader, then retry (a write may or may"
                    + " not have happened: re-read before deciding)", true);
        }
        if (detail.contains("user name is empty")) {
            return new StoreException(what + "; authentication is enabled on this etcd: name the user in the store URI"
                    + " (?user=NAME) and give its password in the setting 'password' or 'passwordFile'", false);
        }
        if (code == UNAUTHENTICATED || code == PERMISSION_DENIED || status == 401 || status == 403
                || detail.contains("authentication failed")) {
            return new StoreException(what + "; check the user and password (settings 'password' or 'passwordFile')"
                    + " and the role's permissions on the prefix", false);
        }
        if (code < 0 && status == 404) {
            return new StoreException(what + "; the endpoint does not serve etcd's v3 JSON gateway at /v3/: check"
                    + " that it is an etcd 3.4 or later client URL", false);
        }
        return new StoreException(what, false);
    }

    /** No answer: the request was not sent, timed out, or the connection broke. All retryable. */
    static StoreException unanswered(String store, String endpoint, String operation, String key, IOException failure,
                                     long timeoutMillis) {
        String where = "etcd at " + store + " (endpoint " + endpoint + ")";
        String how;
        if (notSent(failure)) {
            how = " could not be reached for " + operation + " of '" + key + "' (" + describe(failure) + ")";
        } else if (failure instanceof SocketTimeoutException) {
            how = " did not answer " + operation + " of '" + key + "' within " + timeoutMillis + " ms";
        } else {
            how = " failed " + operation + " of '" + key + "' (" + describe(failure) + ")";
        }
        return new StoreException(where + how + "; check that etcd runs and is reachable (a write may or may not have"
                + " happened: re-read before deciding)", true, failure);
    }

    /** True when the request certainly never reached the member, so that another member may be asked. */
    static boolean notSent(IOException failure) {
        // ConnectException also stands for a connect that timed out (GatewayConnections)
        return failure instanceof ConnectException || failure instanceof NoRouteToHostException
                || failure instanceof UnknownHostException;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static String codeName(int code, int status) {
        return switch (code) {
            case CANCELLED -> "CANCELLED";
            case 2 -> "UNKNOWN";
            case 3 -> "INVALID_ARGUMENT";
            case DEADLINE_EXCEEDED -> "DEADLINE_EXCEEDED";
            case 5 -> "NOT_FOUND";
            case 6 -> "ALREADY_EXISTS";
            case PERMISSION_DENIED -> "PERMISSION_DENIED";
            case RESOURCE_EXHAUSTED -> "RESOURCE_EXHAUSTED";
            case 9 -> "FAILED_PRECONDITION";
            case ABORTED -> "ABORTED";
            case 11 -> "OUT_OF_RANGE";
            case 12 -> "UNIMPLEMENTED";
            case 13 -> "INTERNAL";
            case UNAVAILABLE -> "UNAVAILABLE";
            case 15 -> "DATA_LOSS";
            case UNAUTHENTICATED -> "UNAUTHENTICATED";
            default -> "HTTP " + status;
        };
    }
}
