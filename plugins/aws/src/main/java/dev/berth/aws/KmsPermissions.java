package dev.berth.aws;

import dev.berth.spi.PermissionRequest;
import dev.berth.spi.PolicyStatement;
import java.util.List;
import java.util.Map;

/**
 * The statements the {@code kms} key provider's calls need ({@link KmsKeyProvider}: GenerateDataKey to back an
 * identity up, Decrypt to restore it), usable only with the cluster's encryption context
 * ({@link KmsKeyProvider#CONTEXT_KEY}). The key is named by key ARN; an alias is a {@code kms:RequestAlias}
 * condition on {@code key/*} of its region, as IAM requires. The region is the provider's setting, else the key
 * ARN's, else the configuration's; the partition the region's, else the key ARN's.
 */
final class KmsPermissions {
    private KmsPermissions() {
    }

    static List<PolicyStatement> of(PermissionRequest r) {
        String keyId = r.settings().require("keyId");
        var region = r.settings().get("region").or(() -> KmsKeyProviderFactory.arnRegion(keyId)).or(r::region);
        var partition = region.map(PolicyStatement::partitionOf).or(() -> KmsKey.arnPartition(keyId)).orElse("aws");
        var key = KmsKey.of(keyId, partition, region);
        var context = Map.of("StringLike", Map.of("kms:EncryptionContext:" + KmsKeyProvider.CONTEXT_KEY,
                List.of("cluster " + r.cluster() + " slot *")));
        return List.of(
                new PolicyStatement("BerthIdentityBackupKey", List.of("kms:GenerateDataKey"), List.of(key.resource()),
                        PolicyStatement.merge(context, key.alias()
                                .map(a -> Map.of("StringEquals", Map.of("kms:RequestAlias", List.of(a))))
                                .orElse(Map.of()))),
                // Decrypt names the key ARN a backup was made with: through an alias, that key may no longer be the alias's
                new PolicyStatement("BerthIdentityBackupOpen", List.of("kms:Decrypt"), List.of(key.resource()), context));
    }
}
