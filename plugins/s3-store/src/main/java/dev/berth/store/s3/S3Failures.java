package dev.berth.store.s3;

import dev.berth.spi.StoreException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Turns SDK failures into {@link StoreException}s naming the bucket and key, and whether to retry. */
final class S3Failures {

    private S3Failures() {
    }

    static StoreException translate(S3Settings settings, String operation, String key, String object, SdkException e,
                                    boolean write) {
        String where = "'" + key + "' in bucket '" + settings.bucket() + "'" + (object == null ? "" : " (object '" + object + "')")
                + settings.endpoint().map(u -> " at " + u).orElse("");
        String maybe = write ? " (the write may or may not have happened: re-read before deciding)" : "";
        if (e instanceof S3Exception s3) {
            int status = s3.statusCode();
            String code = S3ClaimStore.errorCode(s3);
            String what = "S3 refused the " + operation + " of " + where + ": HTTP " + status + (code == null ? "" : " " + code);
            if (status == 403) {
                return new StoreException(what + "; check the credentials (settings accessKeyId/secretAccessKey or the"
                        + " default chain) and that the policy allows GetObject, PutObject, DeleteObject and ListBucket"
                        + " on the bucket", false, e);
            }
            if ("NoSuchBucket".equals(code)) {
                return new StoreException(what + "; create the bucket or fix the store URI", false, e);
            }
            if (status == 409) {
                return new StoreException(what + ": concurrent conditional writes kept colliding; retry later" + maybe,
                        true, e);
            }
            if (status == 501 || "NotImplemented".equals(code)) {
                return new StoreException(what + "; this server does not implement conditional writes"
                        + " (If-None-Match), which the claim store needs", false, e);
            }
            boolean retryable = status >= 500 || status == 429 || status == 408;
            return new StoreException(what + (retryable ? "; retry later" + maybe : ""), retryable, e);
        }
        if (e instanceof ApiCallTimeoutException) {
            return new StoreException("S3 did not answer the " + operation + " of " + where + " within "
                    + settings.timeout().toMillis() + " ms; check the endpoint and the network" + maybe, true, e);
        }
        if (e instanceof SdkClientException) {
            return new StoreException("could not reach S3 for the " + operation + " of " + where + ": " + e.getMessage()
                    + "; check the endpoint, region and network" + maybe, true, e);
        }
        return new StoreException("S3 " + operation + " of " + where + " failed: " + e.getMessage() + maybe, false, e);
    }
}
