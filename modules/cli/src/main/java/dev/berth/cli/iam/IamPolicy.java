package dev.berth.cli.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The least-privilege IAM policy a berth configuration needs, as IAM JSON (Version 2012-10-17).
 * Writes are scoped by the cluster tag where AWS evaluates it: {@code aws:RequestTag/berth:cluster}
 * on create, {@code ec2:ResourceTag/berth:cluster} on existing volumes and snapshots. Describe
 * calls cannot be scoped by resource and are on {@code *}. Tags the role writes are limited to
 * {@code berth:*} and {@code Name}; volumes attach only to instances of the group; KMS keys are
 * named by key ARN (an alias is a {@code kms:RequestAlias} or {@code kms:ResourceAliases}
 * condition on {@code key/*}, as IAM requires), and the backup key is usable only with the
 * cluster's encryption context. ARNs are in the partition of the region ({@code aws-us-gov},
 * {@code aws-cn}). Plain Java (java.base only), so the CLI can copy or call it without the AWS SDK.
 */
public final class IamPolicy {
    static final String CLUSTER_TAG = "berth:cluster";
    static final String GROUP_TAG = "aws:autoscaling:groupName";
    /** The encryption context the identity backups send (KmsKeyProvider.CONTEXT_KEY). */
    static final String BACKUP_CONTEXT_KEY = "berth:context";

    /**
     * What the configuration turns on.
     *
     * @param cluster          the cluster name (the value of the {@code berth:cluster} tag)
     * @param s3Bucket         the claim store's bucket when the store is S3
     * @param s3Prefix         the claim store's key prefix in that bucket ("" for the whole bucket)
     * @param backupKmsKeyArn  the KMS key of the identity backups ({@code kms} key provider)
     * @param volumeKmsKeyArn  the customer KMS key that encrypts the volumes (not the AWS-managed one)
     * @param snapshots        cross-zone moves through snapshots
     * @param seedSnapshotId   the cluster's seed snapshot new volumes are created from
     * @param markUnhealthy    the full-zone policy may mark this instance unhealthy
     * @param terminateSelf    the full-zone policy may terminate this instance
     * @param lifecycleHook    the keeper completes a termination lifecycle hook
     * @param groupName        the Auto Scaling group, to scope its actions (else every group)
     * @param region           the region, for the partition of the ARNs and the region of KMS keys given by alias
     * @param periodicSnapshots {@code berth snapshot}: snapshot the slot's volume, list the slot's snapshots, delete
     *                          the expired ones (only snapshots tagged with the cluster and {@code berth:kind=periodic})
     */
    public record Features(String cluster, Optional<String> s3Bucket, String s3Prefix, Optional<String> backupKmsKeyArn,
                           Optional<String> volumeKmsKeyArn, boolean snapshots, Optional<String> seedSnapshotId,
                           boolean markUnhealthy, boolean terminateSelf, boolean lifecycleHook, Optional<String> groupName,
                           Optional<String> region, boolean periodicSnapshots) {
        public Features {
            Objects.requireNonNull(cluster, "cluster");
            s3Prefix = s3Prefix == null ? "" : s3Prefix.replaceAll("^/+", "");
        }

        /** Without periodic snapshots. */
        public Features(String cluster, Optional<String> s3Bucket, String s3Prefix, Optional<String> backupKmsKeyArn,
                        Optional<String> volumeKmsKeyArn, boolean snapshots, Optional<String> seedSnapshotId,
                        boolean markUnhealthy, boolean terminateSelf, boolean lifecycleHook, Optional<String> groupName,
                        Optional<String> region) {
            this(cluster, s3Bucket, s3Prefix, backupKmsKeyArn, volumeKmsKeyArn, snapshots, seedSnapshotId, markUnhealthy,
                    terminateSelf, lifecycleHook, groupName, region, false);
        }

        /** Without a region: the partition comes from a KMS key ARN, else it is {@code aws}. */
        public Features(String cluster, Optional<String> s3Bucket, String s3Prefix, Optional<String> backupKmsKeyArn,
                        Optional<String> volumeKmsKeyArn, boolean snapshots, Optional<String> seedSnapshotId,
                        boolean markUnhealthy, boolean terminateSelf, boolean lifecycleHook, Optional<String> groupName) {
            this(cluster, s3Bucket, s3Prefix, backupKmsKeyArn, volumeKmsKeyArn, snapshots, seedSnapshotId, markUnhealthy,
                    terminateSelf, lifecycleHook, groupName, Optional.empty());
        }

        /** The partition: from the region, else from a KMS key ARN, else {@code aws}. */
        String partition() {
            return region.map(IamPolicy::partitionOf)
                    .or(() -> backupKmsKeyArn.or(() -> volumeKmsKeyArn).flatMap(KmsKey::arnPartition))
                    .orElse("aws");
        }

        /** Only the cloud provider's basics: describe, create, attach, detach, tag on create. */
        public static Features minimal(String cluster) {
            return new Features(cluster, Optional.empty(), "", Optional.empty(), Optional.empty(), false, Optional.empty(),
                    false, false, false, Optional.empty(), Optional.empty());
        }
    }

    /** One statement: actions on resources, with an optional condition (operator → key → value). */
    record Statement(String sid, List<String> actions, List<String> resources, Map<String, Map<String, List<String>>> condition) {
    }

    private IamPolicy() {
    }

    /** The partition of a region: aws-us-gov for us-gov-*, aws-cn for cn-*, aws-iso(-b) for us-iso(b)-*, else aws. */
    public static String partitionOf(String region) {
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-isob-")) {
            return "aws-iso-b";
        }
        if (region.startsWith("us-iso-")) {
            return "aws-iso";
        }
        return "aws";
    }

    /** The policy document as pretty-printed JSON. */
    public static String json(Features features) {
        var out = new StringBuilder();
        out.append("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [");
        var statements = statements(features);
        for (int i = 0; i < statements.size(); i++) {
            var s = statements.get(i);
            out.append(i == 0 ? "\n" : ",\n").append("    {\n");
            out.append("      \"Sid\": ").append(quote(s.sid())).append(",\n");
            out.append("      \"Effect\": \"Allow\",\n");
            out.append("      \"Action\": ").append(array(s.actions())).append(",\n");
            out.append("      \"Resource\": ").append(array(s.resources()));
            if (!s.condition().isEmpty()) {
                out.append(",\n      \"Condition\": {");
                int n = 0;
                for (var op : s.condition().entrySet()) {
                    out.append(n++ == 0 ? "" : ",").append("\n        ").append(quote(op.getKey())).append(": {");
                    int m = 0;
                    for (var kv : op.getValue().entrySet()) {
                        out.append(m++ == 0 ? "" : ", ").append(quote(kv.getKey())).append(": ").append(array(kv.getValue()));
                    }
                    out.append("}");
                }
                out.append("\n      }");
            }
            out.append("\n    }");
        }
        out.append("\n  ]\n}\n");
        return out.toString();
    }

    /** Every action the policy allows, sorted. */
    public static List<String> actions(Features features) {
        var all = new TreeSet<String>();
        statements(features).forEach(s -> all.addAll(s.actions()));
        return List.copyOf(all);
    }

    static List<Statement> statements(Features f) {
        var list = new ArrayList<Statement>();
        String p = f.partition();
        String volumes = "arn:" + p + ":ec2:*:*:volume/*";
        String snapshots = "arn:" + p + ":ec2:*::snapshot/*";
        String instances = "arn:" + p + ":ec2:*:*:instance/*";
        var requestTag = Map.of("StringEquals", Map.of("aws:RequestTag/" + CLUSTER_TAG, List.of(f.cluster())));
        var resourceTag = Map.of("StringEquals", Map.of("ec2:ResourceTag/" + CLUSTER_TAG, List.of(f.cluster())));
        var ownTagKeys = Map.of("ForAllValues:StringLike", Map.of("aws:TagKeys", List.of("berth:*", "Name")));

        var describe = new ArrayList<>(List.of("ec2:DescribeVolumes", "ec2:DescribeInstances",
                "autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances"));
        boolean takesSnapshots = f.snapshots() || f.periodicSnapshots();
        if (takesSnapshots || f.seedSnapshotId().isPresent()) {
            describe.add("ec2:DescribeSnapshots");
        }
        list.add(new Statement("BerthDescribe", describe, List.of("*"), Map.of()));
        list.add(new Statement("BerthCreateTaggedVolumes", List.of("ec2:CreateVolume"), List.of(volumes), requestTag));
        if (f.seedSnapshotId().isPresent()) {
            list.add(new Statement("BerthCreateFromSeedSnapshot", List.of("ec2:CreateVolume"),
                    List.of("arn:" + p + ":ec2:*::snapshot/" + f.seedSnapshotId().get()), Map.of()));
        }
        var tagOnCreate = new ArrayList<>(List.of("CreateVolume"));
        if (takesSnapshots) {
            tagOnCreate.add("CreateSnapshot");
        }
        list.add(new Statement("BerthTagOnCreate", List.of("ec2:CreateTags"),
                takesSnapshots ? List.of(volumes, snapshots) : List.of(volumes),
                merge(Map.of("StringEquals", Map.of("ec2:CreateAction", List.copyOf(tagOnCreate))), ownTagKeys)));
        list.add(new Statement("BerthAttachOwnVolumes", List.of("ec2:AttachVolume", "ec2:DetachVolume"), List.of(volumes),
                resourceTag));
        list.add(new Statement("BerthAttachToGroupInstances", List.of("ec2:AttachVolume", "ec2:DetachVolume"),
                List.of(instances), f.groupName()
                        .map(g -> Map.of("StringEquals", Map.of("aws:ResourceTag/" + GROUP_TAG, List.of(g))))
                        .orElse(Map.of("Null", Map.of("aws:ResourceTag/" + GROUP_TAG, List.of("false"))))));
        if (takesSnapshots) {
            list.add(new Statement("BerthSnapshotOwnVolumes", List.of("ec2:CreateSnapshot"), List.of(volumes), resourceTag));
            list.add(new Statement("BerthCreateTaggedSnapshots", List.of("ec2:CreateSnapshot"), List.of(snapshots), requestTag));
        }
        if (f.periodicSnapshots()) {
            // retention deletes only the cluster's own periodic snapshots, never a move's or a seed snapshot
            list.add(new Statement("BerthDeleteOwnPeriodicSnapshots", List.of("ec2:DeleteSnapshot"), List.of(snapshots),
                    Map.of("StringEquals", Map.of("ec2:ResourceTag/" + CLUSTER_TAG, List.of(f.cluster()),
                            "ec2:ResourceTag/berth:kind", List.of("periodic")))));
        }
        if (f.snapshots()) {
            list.add(new Statement("BerthCreateFromOwnSnapshots", List.of("ec2:CreateVolume"), List.of(snapshots), resourceTag));
            list.add(new Statement("BerthTagOwnResources", List.of("ec2:CreateTags"), List.of(volumes, snapshots),
                    merge(resourceTag, ownTagKeys)));
        }
        String groups = f.groupName().map(g -> "arn:" + p + ":autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/" + g)
                .orElse("*");
        var autoscaling = new ArrayList<String>();
        if (f.markUnhealthy()) {
            autoscaling.add("autoscaling:SetInstanceHealth");
        }
        if (f.terminateSelf()) {
            autoscaling.add("autoscaling:TerminateInstanceInAutoScalingGroup");
        }
        if (f.lifecycleHook()) {
            autoscaling.add("autoscaling:CompleteLifecycleAction");
            autoscaling.add("autoscaling:RecordLifecycleActionHeartbeat");
        }
        if (!autoscaling.isEmpty()) {
            list.add(new Statement("BerthGroupActions", autoscaling, List.of(groups), Map.of()));
        }
        f.volumeKmsKeyArn().map(k -> KmsKey.of(k, p, f.region())).ifPresent(key -> {
            // EBS uses the key on the role's behalf; an alias is matched against the key's own aliases
            var byAlias = key.alias().map(a -> Map.of("ForAnyValue:StringEquals", Map.of("kms:ResourceAliases", List.of(a))))
                    .orElse(Map.of());
            list.add(new Statement("BerthEncryptedVolumes", List.of("kms:DescribeKey", "kms:GenerateDataKeyWithoutPlaintext",
                    "kms:Decrypt", "kms:ReEncrypt*"), List.of(key.resource()), byAlias));
            list.add(new Statement("BerthEncryptedVolumeGrants", List.of("kms:CreateGrant"), List.of(key.resource()),
                    merge(Map.of("Bool", Map.of("kms:GrantIsForAWSResource", List.of("true"))), byAlias)));
        });
        f.backupKmsKeyArn().map(k -> KmsKey.of(k, p, f.region())).ifPresent(key -> {
            var context = Map.of("StringLike", Map.of("kms:EncryptionContext:" + BACKUP_CONTEXT_KEY,
                    List.of("cluster " + f.cluster() + " slot *")));
            list.add(new Statement("BerthIdentityBackupKey", List.of("kms:GenerateDataKey"), List.of(key.resource()),
                    merge(context, key.alias().map(a -> Map.of("StringEquals", Map.of("kms:RequestAlias", List.of(a))))
                            .orElse(Map.of()))));
            // Decrypt names the key ARN a backup was made with: through an alias, that key may no longer be the alias's
            list.add(new Statement("BerthIdentityBackupOpen", List.of("kms:Decrypt"), List.of(key.resource()), context));
        });
        f.s3Bucket().ifPresent(bucket -> {
            list.add(new Statement("BerthClaimStoreObjects", List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
                    List.of("arn:" + p + ":s3:::" + bucket + "/" + f.s3Prefix() + "*"), Map.of()));
            list.add(new Statement("BerthClaimStoreList", List.of("s3:ListBucket"), List.of("arn:" + p + ":s3:::" + bucket),
                    f.s3Prefix().isEmpty() ? Map.of() : Map.of("StringLike", Map.of("s3:prefix", List.of(f.s3Prefix() + "*")))));
        });
        return list;
    }

    /** Conditions of two maps together; a key under the same operator in both is not expected. */
    private static Map<String, Map<String, List<String>>> merge(Map<String, Map<String, List<String>>> a,
                                                                Map<String, Map<String, List<String>>> b) {
        var all = new java.util.LinkedHashMap<String, Map<String, List<String>>>();
        a.forEach((op, kv) -> all.put(op, new java.util.LinkedHashMap<>(kv)));
        b.forEach((op, kv) -> all.merge(op, new java.util.LinkedHashMap<>(kv), (x, y) -> {
            var both = new java.util.LinkedHashMap<>(x);
            both.putAll(y);
            return both;
        }));
        return all;
    }

    private static String array(List<String> values) {
        if (values.size() == 1) {
            return quote(values.getFirst());
        }
        var out = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            out.append(i == 0 ? "" : ", ").append(quote(values.get(i)));
        }
        return out.append("]").toString();
    }

    static String quote(String s) {
        var out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
