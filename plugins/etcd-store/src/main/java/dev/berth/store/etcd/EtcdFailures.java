package dev.berth.store.etcd;

import dev.berth.spi.StoreException;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;

/** Turns jetcd's failures into {@link StoreException}s that say whether to retry. */
final class EtcdFailures {

    private EtcdFailures() {
    }

    static StoreException translate(String store, String operation, String key, Throwable failure) {
        var etcd = find(failure);
        if (etcd != null) {
            ErrorCode code = etcd.getErrorCode();
            String what = "etcd at " + store + " refused " + operation + " of '" + key + "' (" + code + ")";
            return switch (code) {
                case UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, RESOURCE_EXHAUSTED, CANCELLED ->
                        new StoreException(what + ": " + etcd.getMessage() + "; check that etcd runs and has a leader,"
                                + " then retry (a write may or may not have happened)", true, failure);
                case UNAUTHENTICATED, PERMISSION_DENIED ->
                        new StoreException(what + ": check the user and password (settings 'password' or"
                                + " 'passwordFile') and the role's permissions on the prefix", false, failure);
                default -> new StoreException(what + ": " + etcd.getMessage(), false, failure);
            };
        }
        return new StoreException("etcd at " + store + " failed " + operation + " of '" + key + "': " + failure,
                true, failure);
    }

    private static EtcdException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof EtcdException etcd) {
                return etcd;
            }
        }
        return null;
    }
}
