/**
 * The AWS provider: CloudProvider "aws" (EC2/EBS, Auto Scaling, IMDSv2) and KeyProvider
 * "kms" (identity backup data keys). Loaded into its own plugin layer with the AWS SDK's
 * automatic modules; exports nothing.
 */
module dev.berth.aws {
    requires dev.berth.spi;
    // IMDSv2 is spoken with the JDK's own HTTP client (no SDK needed to ask who we are)
    requires java.net.http;
    // AWS SDK v2 jars are automatic modules (Automatic-Module-Name in their manifests)
    requires software.amazon.awssdk.services.ec2;
    requires software.amazon.awssdk.services.autoscaling;
    requires software.amazon.awssdk.services.kms;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.awscore;
    requires software.amazon.awssdk.auth;
    requires software.amazon.awssdk.identity.spi;
    requires software.amazon.awssdk.regions;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.retries.api;
    requires software.amazon.awssdk.retries;
    // set explicitly on every client: the SDK's ServiceLoader lookup of HTTP clients does
    // not see the plugin's layer
    requires software.amazon.awssdk.http.urlconnection;

    provides dev.berth.spi.CloudProviderFactory with dev.berth.aws.AwsCloudProviderFactory;
    provides dev.berth.spi.KeyProviderFactory with dev.berth.aws.KmsKeyProviderFactory;
}
