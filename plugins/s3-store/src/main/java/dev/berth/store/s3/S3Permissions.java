package dev.berth.store.s3;

import dev.berth.spi.PermissionRequest;
import dev.berth.spi.PolicyStatement;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The statements the S3 claim store's calls need ({@link S3ClaimStore}: HeadObject and GetObject are
 * {@code s3:GetObject}, PutObject, DeleteObject for its garbage collection), on the objects under the store's
 * prefix only, and {@code s3:ListBucket} limited to that prefix (without it S3 answers a missing key with 403, not
 * 404). ARNs are in the partition of the store's region (the URI's or setting's), else the configuration's.
 */
final class S3Permissions {
    private S3Permissions() {
    }

    static List<PolicyStatement> of(URI uri, PermissionRequest r) {
        var settings = S3Settings.parse(uri, r.settings());
        var explicit = Optional.ofNullable(dev.berth.spi.UriQuery.parse(uri).get("region")).filter(v -> !v.isBlank())
                .or(() -> r.settings().get("region"));
        var partition = explicit.or(r::region).map(PolicyStatement::partitionOf).orElse("aws");
        var prefix = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+", "");
        String bucket = "arn:" + partition + ":s3:::" + settings.bucket();
        return List.of(
                new PolicyStatement("BerthClaimStoreObjects", List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
                        List.of(bucket + "/" + prefix + "*")),
                new PolicyStatement("BerthClaimStoreList", List.of("s3:ListBucket"), List.of(bucket),
                        prefix.isEmpty() ? Map.of() : Map.of("StringLike", Map.of("s3:prefix", List.of(prefix + "*")))));
    }
}
