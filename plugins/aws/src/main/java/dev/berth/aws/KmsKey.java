package dev.berth.aws;

import java.util.Optional;

/**
 * A KMS key as an IAM policy must name it. IAM matches KMS resources by key ARN only: a key
 * ARN stays as it is, a bare key id becomes {@code arn:PARTITION:kms:REGION:*:key/ID}, and an
 * alias (name or ARN) becomes {@code key/*} of its region and account, with the alias in
 * {@link #alias()} for a condition.
 */
record KmsKey(String resource, Optional<String> alias) {

    static KmsKey of(String keyId, String partition, Optional<String> region) {
        var parts = keyId.split(":", 6);
        if (parts.length == 6 && parts[0].equals("arn") && parts[2].equals("kms")) {
            if (parts[5].startsWith("alias/")) {
                return new KmsKey(String.join(":", "arn", parts[1], "kms", parts[3], parts[4], "key/*"),
                        Optional.of(parts[5]));
            }
            return new KmsKey(keyId, Optional.empty());
        }
        var inRegion = "arn:" + partition + ":kms:" + region.orElse("*") + ":*:";
        if (keyId.startsWith("alias/")) {
            return new KmsKey(inRegion + "key/*", Optional.of(keyId));
        }
        return new KmsKey(inRegion + "key/" + keyId, Optional.empty());
    }

    /** The partition of a KMS ARN ({@code arn:PARTITION:kms:...}). */
    static Optional<String> arnPartition(String keyId) {
        var parts = keyId.split(":", 3);
        return parts.length == 3 && parts[0].equals("arn") && !parts[1].isEmpty() ? Optional.of(parts[1]) : Optional.empty();
    }
}
