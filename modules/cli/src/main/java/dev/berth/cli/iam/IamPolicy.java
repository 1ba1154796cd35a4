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
 * calls cannot be scoped by resource and are on {@code *}. Plain Java (java.base only), so the
 * CLI can copy or call it without the AWS SDK.
 */
public final class IamPolicy {
    static final String CLUSTER_TAG = "berth:cluster";

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
     */
    public record Features(String cluster, Optional<String> s3Bucket, String s3Prefix, Optional<String> backupKmsKeyArn,
                           Optional<String> volumeKmsKeyArn, boolean snapshots, Optional<String> seedSnapshotId,
                           boolean markUnhealthy, boolean terminateSelf, boolean lifecycleHook, Optional<String> groupName) {
        public Features {
            Objects.requireNonNull(cluster, "cluster");
            s3Prefix = s3Prefix == null ? "" : s3Prefix.replaceAll("^/+", "");
        }

        /** Only the cloud provider's basics: describe, create, attach, detach, tag on create. */
        public static Features minimal(String cluster) {
            return new Features(cluster, Optional.empty(), "", Optional.empty(), Optional.empty(), false, Optional.empty(),
                    false, false, false, Optional.empty());
        }
    }

    /** One statement: actions on resources, with an optional condition (operator → key → value). */
    record Statement(String sid, List<String> actions, List<String> resources, Map<String, Map<String, List<String>>> condition) {
    }

    private IamPolicy() {
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
        String volumes = "arn:aws:ec2:*:*:volume/*";
        String snapshots = "arn:aws:ec2:*::snapshot/*";
        String instances = "arn:aws:ec2:*:*:instance/*";
        var requestTag = Map.of("StringEquals", Map.of("aws:RequestTag/" + CLUSTER_TAG, List.of(f.cluster())));
        var resourceTag = Map.of("StringEquals", Map.of("ec2:ResourceTag/" + CLUSTER_TAG, List.of(f.cluster())));

        var describe = new ArrayList<>(List.of("ec2:DescribeVolumes", "ec2:DescribeInstances",
                "autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances"));
        if (f.snapshots() || f.seedSnapshotId().isPresent()) {
            describe.add("ec2:DescribeSnapshots");
        }
        list.add(new Statement("BerthDescribe", describe, List.of("*"), Map.of()));
        list.add(new Statement("BerthCreateTaggedVolumes", List.of("ec2:CreateVolume"), List.of(volumes), requestTag));
        if (f.seedSnapshotId().isPresent()) {
            list.add(new Statement("BerthCreateFromSeedSnapshot", List.of("ec2:CreateVolume"),
                    List.of("arn:aws:ec2:*::snapshot/" + f.seedSnapshotId().get()), Map.of()));
        }
        var tagOnCreate = new ArrayList<>(List.of("CreateVolume"));
        if (f.snapshots()) {
            tagOnCreate.add("CreateSnapshot");
        }
        list.add(new Statement("BerthTagOnCreate", List.of("ec2:CreateTags"),
                f.snapshots() ? List.of(volumes, snapshots) : List.of(volumes),
                Map.of("StringEquals", Map.of("ec2:CreateAction", List.copyOf(tagOnCreate)))));
        list.add(new Statement("BerthAttachOwnVolumes", List.of("ec2:AttachVolume", "ec2:DetachVolume"), List.of(volumes),
                resourceTag));
        list.add(new Statement("BerthAttachToInstances", List.of("ec2:AttachVolume", "ec2:DetachVolume"), List.of(instances),
                Map.of()));
        if (f.snapshots()) {
            list.add(new Statement("BerthSnapshotOwnVolumes", List.of("ec2:CreateSnapshot"), List.of(volumes), resourceTag));
            list.add(new Statement("BerthCreateTaggedSnapshots", List.of("ec2:CreateSnapshot"), List.of(snapshots), requestTag));
            list.add(new Statement("BerthCreateFromOwnSnapshots", List.of("ec2:CreateVolume"), List.of(snapshots), resourceTag));
            list.add(new Statement("BerthTagOwnResources", List.of("ec2:CreateTags"), List.of(volumes, snapshots), resourceTag));
        }
        String groups = f.groupName().map(g -> "arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/" + g)
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
        f.volumeKmsKeyArn().ifPresent(key -> {
            list.add(new Statement("BerthEncryptedVolumes", List.of("kms:DescribeKey", "kms:GenerateDataKeyWithoutPlaintext",
                    "kms:Decrypt"), List.of(key), Map.of()));
            list.add(new Statement("BerthEncryptedVolumeGrants", List.of("kms:CreateGrant"), List.of(key),
                    Map.of("Bool", Map.of("kms:GrantIsForAWSResource", List.of("true")))));
        });
        f.backupKmsKeyArn().ifPresent(key -> list.add(new Statement("BerthIdentityBackupKey",
                List.of("kms:GenerateDataKey", "kms:Decrypt"), List.of(key), Map.of())));
        f.s3Bucket().ifPresent(bucket -> {
            list.add(new Statement("BerthClaimStoreObjects", List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
                    List.of("arn:aws:s3:::" + bucket + "/" + f.s3Prefix() + "*"), Map.of()));
            list.add(new Statement("BerthClaimStoreList", List.of("s3:ListBucket"), List.of("arn:aws:s3:::" + bucket),
                    f.s3Prefix().isEmpty() ? Map.of() : Map.of("StringLike", Map.of("s3:prefix", List.of(f.s3Prefix() + "*")))));
        });
        return list;
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
