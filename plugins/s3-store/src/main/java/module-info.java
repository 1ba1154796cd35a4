/**
 * The S3 claim store (scheme {@code s3://}). Every write is decided by a create-only PUT
 * ({@code If-None-Match: *}), so it stays correct on servers whose {@code If-Match} is not
 * atomic. Loaded into its own plugin layer with the AWS SDK's automatic modules.
 */
module dev.berth.store.s3 {
    requires dev.berth.spi;
    // AWS SDK v2 jars are automatic modules (Automatic-Module-Name in their manifests)
    requires software.amazon.awssdk.services.s3;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.awscore;
    requires software.amazon.awssdk.auth;
    requires software.amazon.awssdk.regions;
    requires software.amazon.awssdk.http;
    // set explicitly on the client: the SDK's ServiceLoader lookup of HTTP clients does not
    // see the plugin's layer
    requires software.amazon.awssdk.http.urlconnection;

    provides dev.berth.spi.ClaimStoreFactory with dev.berth.store.s3.S3ClaimStoreFactory;
}
