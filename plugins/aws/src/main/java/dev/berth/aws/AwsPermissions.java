package dev.berth.aws;

import dev.berth.spi.PermissionRequest;
import dev.berth.spi.PermissionRequest.Use;
import dev.berth.spi.PolicyStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The IAM statements the {@code aws} cloud provider's calls need (EC2, EBS, Auto Scaling), for what the
 * configuration turns on. Writes are scoped by the cluster tag where AWS evaluates it: {@code aws:RequestTag/berth:cluster}
 * on create, {@code ec2:ResourceTag/berth:cluster} on existing volumes and snapshots. Describe calls cannot be scoped
 * by resource and are on {@code *}. Tags the role writes are limited to {@code berth:*} and {@code Name}; volumes
 * attach only to instances of the group; a customer key that encrypts the volumes is named by key ARN (an alias is
 * a {@code kms:ResourceAliases} condition on {@code key/*}). ARNs are in the partition of the region.
 * {@link AwsPermissionsTest} holds every SDK operation the provider calls to a statement here.
 */
final class AwsPermissions {
    static final String CLUSTER_TAG = "berth:cluster";
    static final String GROUP_TAG = "aws:autoscaling:groupName";

    private AwsPermissions() {
    }

    /** Scoping shared by the volume and the network statements. */
    record Scope(String cluster, String partition, Optional<String> group) {
        String arn(String service, String resource) {
            return "arn:" + partition + ":" + service + ":*:*:" + resource;
        }

        String snapshots() {
            return "arn:" + partition + ":ec2:*::snapshot/*";
        }

        Map<String, Map<String, List<String>>> requestTag() {
            return Map.of("StringEquals", Map.of("aws:RequestTag/" + CLUSTER_TAG, List.of(cluster)));
        }

        Map<String, Map<String, List<String>>> resourceTag() {
            return Map.of("StringEquals", Map.of("ec2:ResourceTag/" + CLUSTER_TAG, List.of(cluster)));
        }

        Map<String, Map<String, List<String>>> ownTagKeys() {
            return Map.of("ForAllValues:StringLike", Map.of("aws:TagKeys", List.of("berth:*", "Name")));
        }

        /** Instances of the group (by name when configured, else of any group). */
        Map<String, Map<String, List<String>>> groupInstances() {
            return group.map(g -> Map.of("StringEquals", Map.of("aws:ResourceTag/" + GROUP_TAG, List.of(g))))
                    .orElse(Map.of("Null", Map.of("aws:ResourceTag/" + GROUP_TAG, List.of("false"))));
        }
    }

    /** The partition: the region's (the provider's setting, else the configuration's), else the volume key ARN's. */
    static Scope scope(PermissionRequest r) {
        var region = r.settings().get("region").or(r::region);
        var partition = region.map(PolicyStatement::partitionOf)
                .or(() -> r.volumeKeyId().flatMap(KmsKey::arnPartition)).orElse("aws");
        return new Scope(r.cluster(), partition, r.settings().get("group"));
    }

    static List<PolicyStatement> of(PermissionRequest r) {
        var s = scope(r);
        var list = new ArrayList<PolicyStatement>();
        String volumes = s.arn("ec2", "volume/*");
        String snapshots = s.snapshots();
        String instances = s.arn("ec2", "instance/*");
        boolean operator = r.uses(Use.OPERATOR);
        boolean takesSnapshots = r.uses(Use.SNAPSHOT_MOVES) || r.uses(Use.PERIODIC_SNAPSHOTS);

        var describe = new ArrayList<>(List.of("ec2:DescribeVolumes", "ec2:DescribeInstances",
                "ec2:DescribeVolumesModifications", "autoscaling:DescribeAutoScalingGroups",
                "autoscaling:DescribeAutoScalingInstances"));
        if (takesSnapshots || r.seedSnapshotId().isPresent() || operator) {
            describe.add("ec2:DescribeSnapshots");
        }
        list.add(new PolicyStatement("BerthDescribe", describe, List.of("*")));
        list.add(new PolicyStatement("BerthCreateTaggedVolumes", List.of("ec2:CreateVolume"), List.of(volumes),
                s.requestTag()));
        r.seedSnapshotId().ifPresent(seed -> list.add(new PolicyStatement("BerthCreateFromSeedSnapshot",
                List.of("ec2:CreateVolume"), List.of("arn:" + s.partition() + ":ec2:*::snapshot/" + seed))));
        var tagOnCreate = new ArrayList<>(List.of("CreateVolume"));
        if (takesSnapshots) {
            tagOnCreate.add("CreateSnapshot");
        }
        list.add(new PolicyStatement("BerthTagOnCreate", List.of("ec2:CreateTags"),
                takesSnapshots ? List.of(volumes, snapshots) : List.of(volumes),
                PolicyStatement.merge(Map.of("StringEquals", Map.of("ec2:CreateAction", List.copyOf(tagOnCreate))),
                        s.ownTagKeys())));
        // a claim tags a slot's dead or replaced volume berth:retired (and a moved slot's snapshot source)
        list.add(new PolicyStatement("BerthTagOwnResources", List.of("ec2:CreateTags"),
                r.uses(Use.SNAPSHOT_MOVES) ? List.of(volumes, snapshots) : List.of(volumes),
                PolicyStatement.merge(s.resourceTag(), s.ownTagKeys())));
        list.add(new PolicyStatement("BerthAttachOwnVolumes", List.of("ec2:AttachVolume", "ec2:DetachVolume"),
                List.of(volumes), s.resourceTag()));
        list.add(new PolicyStatement("BerthAttachToGroupInstances", List.of("ec2:AttachVolume", "ec2:DetachVolume"),
                List.of(instances), s.groupInstances()));
        // a claim grows the slot's volume to volume.sizeGiB (and waits for the modification)
        list.add(new PolicyStatement("BerthGrowOwnVolumes", List.of("ec2:ModifyVolume"), List.of(volumes),
                s.resourceTag()));
        if (takesSnapshots) {
            list.add(new PolicyStatement("BerthSnapshotOwnVolumes", List.of("ec2:CreateSnapshot"), List.of(volumes),
                    s.resourceTag()));
            list.add(new PolicyStatement("BerthCreateTaggedSnapshots", List.of("ec2:CreateSnapshot"), List.of(snapshots),
                    s.requestTag()));
        }
        if (r.uses(Use.PERIODIC_SNAPSHOTS) && !operator) {
            // retention deletes only the cluster's own periodic snapshots, never a move's or a seed snapshot
            list.add(new PolicyStatement("BerthDeleteOwnPeriodicSnapshots", List.of("ec2:DeleteSnapshot"),
                    List.of(snapshots), Map.of("StringEquals", Map.of("ec2:ResourceTag/" + CLUSTER_TAG,
                    List.of(r.cluster()), "ec2:ResourceTag/berth:kind", List.of("periodic")))));
        }
        if (r.uses(Use.SNAPSHOT_MOVES)) {
            list.add(new PolicyStatement("BerthCreateFromOwnSnapshots", List.of("ec2:CreateVolume"), List.of(snapshots),
                    s.resourceTag()));
        }
        if (operator) {
            // berth gc: orphaned and retired volumes, finished move snapshots and expired periodic ones, all the cluster's
            list.add(new PolicyStatement("BerthGcOwnVolumes", List.of("ec2:DeleteVolume"), List.of(volumes),
                    s.resourceTag()));
            list.add(new PolicyStatement("BerthGcOwnSnapshots", List.of("ec2:DeleteSnapshot"), List.of(snapshots),
                    s.resourceTag()));
        }
        String groups = s.group().map(g -> "arn:" + s.partition()
                + ":autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/" + g).orElse("*");
        var autoscaling = new ArrayList<String>();
        if (r.uses(Use.MARK_UNHEALTHY)) {
            autoscaling.add("autoscaling:SetInstanceHealth");
        }
        if (r.uses(Use.TERMINATE_SELF)) {
            autoscaling.add("autoscaling:TerminateInstanceInAutoScalingGroup");
        }
        if (r.settings().get("lifecycleHook").isPresent()) {
            autoscaling.add("autoscaling:CompleteLifecycleAction");
            autoscaling.add("autoscaling:RecordLifecycleActionHeartbeat");
        }
        if (!autoscaling.isEmpty()) {
            list.add(new PolicyStatement("BerthGroupActions", autoscaling, List.of(groups)));
        }
        r.volumeKeyId().map(k -> KmsKey.of(k, s.partition(), r.settings().get("region").or(r::region))).ifPresent(key -> {
            // EBS uses the key on the role's behalf; an alias is matched against the key's own aliases
            Map<String, Map<String, List<String>>> byAlias = key.alias()
                    .map(a -> Map.of("ForAnyValue:StringEquals", Map.of("kms:ResourceAliases", List.of(a))))
                    .orElse(Map.of());
            list.add(new PolicyStatement("BerthEncryptedVolumes", List.of("kms:DescribeKey",
                    "kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt", "kms:ReEncrypt*"), List.of(key.resource()), byAlias));
            list.add(new PolicyStatement("BerthEncryptedVolumeGrants", List.of("kms:CreateGrant"), List.of(key.resource()),
                    PolicyStatement.merge(Map.of("Bool", Map.of("kms:GrantIsForAWSResource", List.of("true"))), byAlias)));
        });
        list.addAll(AwsNetworkPermissions.of(r, s));
        return list;
    }
}
