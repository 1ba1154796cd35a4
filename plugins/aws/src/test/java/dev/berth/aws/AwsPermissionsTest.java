package dev.berth.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.spi.PermissionRequest;
import dev.berth.spi.PermissionRequest.Use;
import dev.berth.spi.PluginConfig;
import dev.berth.spi.PolicyStatement;
import dev.berth.store.s3.S3ClaimStoreFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The permissions the aws plugin (cloud provider {@code aws}, key provider {@code kms}) and the s3-store plugin
 * declare: every SDK operation their code calls is allowed by the policy with every feature on, and the policy
 * allows nothing else but what AWS evaluates on berth's behalf; each feature adds exactly its actions.
 */
class AwsPermissionsTest {
    private static final Path AWS_SOURCES = Path.of("src/main/java/dev/berth/aws");
    private static final Path S3_SOURCES = Path.of("../s3-store/src/main/java/dev/berth/store/s3");
    /** A client call in the sources: {@code ec2().createVolume(}, {@code ec2.get().allocateAddress(}, {@code s3.putObject(}. */
    private static final Pattern CALL = Pattern.compile("\\b(ec2\\(\\)|ec2\\.get\\(\\)|asg\\(\\)|kms\\(\\)|s3)\\.([a-z]\\w*)\\(");
    /** Allowed without a call of their own: tagging on create (TagSpecifications) and EBS using the volume key. */
    private static final Set<String> IMPLIED = Set.of("ec2:CreateTags", "kms:DescribeKey",
            "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncrypt*", "kms:CreateGrant");
    private static final Set<String> BASE = Set.of("ec2:DescribeVolumes", "ec2:DescribeInstances",
            "ec2:DescribeVolumesModifications", "autoscaling:DescribeAutoScalingGroups",
            "autoscaling:DescribeAutoScalingInstances", "ec2:CreateVolume", "ec2:CreateTags", "ec2:AttachVolume",
            "ec2:DetachVolume", "ec2:ModifyVolume");

    private static PermissionRequest request(Set<Use> uses, Map<String, String> settings, Optional<String> volumeKey,
                                             Optional<String> seed, List<String> pool) {
        return new PermissionRequest("avax", new PluginConfig("providerSettings", settings), Optional.of("us-east-1"),
                uses.isEmpty() ? Set.of() : EnumSet.copyOf(uses), volumeKey, seed, pool);
    }

    private static List<PolicyStatement> everything() {
        var r = request(EnumSet.allOf(Use.class), Map.of("group", "g", "lifecycleHook", "h"),
                Optional.of("alias/ebs"), Optional.of("snap-1"), List.of());
        var all = new java.util.ArrayList<>(new AwsCloudProviderFactory().permissions(r));
        all.addAll(new KmsKeyProviderFactory().permissions(r.withSettings(new PluginConfig("keys.settings",
                Map.of("keyId", "arn:aws:kms:us-east-1:1:key/k")))));
        all.addAll(new S3ClaimStoreFactory().permissions(URI.create("s3://claims/prod?region=us-east-1"),
                r.withSettings(PluginConfig.empty("storeSettings"))));
        return all;
    }

    private static TreeSet<String> actions(List<PolicyStatement> statements) {
        var all = new TreeSet<String>();
        statements.forEach(s -> all.addAll(s.actions()));
        return all;
    }

    /** The IAM action of every client call in the sources (a paginator is its operation; S3's HeadObject is s3:GetObject, ListObjectsV2 s3:ListBucket). */
    private static TreeSet<String> called() throws IOException {
        var actions = new TreeSet<String>();
        for (var dir : List.of(AWS_SOURCES, S3_SOURCES)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (var file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    var m = CALL.matcher(Files.readString(file));
                    while (m.find()) {
                        var op = m.group(2).replaceAll("Paginator$", "").replaceAll("AsBytes$", "");
                        if (op.equals("close") || op.equals("statusCode")) {
                            continue;
                        }
                        var service = switch (m.group(1)) {
                            case "asg()" -> "autoscaling";
                            case "kms()" -> "kms";
                            case "s3" -> "s3";
                            default -> "ec2";
                        };
                        if (service.equals("s3")) {   // S3's actions are not its operations' names
                            op = switch (op) {
                                case "headObject" -> "getObject";
                                case "listObjectsV2", "listObjects" -> "listBucket";
                                default -> op;
                            };
                        }
                        actions.add(service + ":" + Character.toUpperCase(op.charAt(0)) + op.substring(1));
                    }
                }
            }
        }
        return actions;
    }

    @Test
    void everySdkOperationThePluginsCallIsInThePolicyAndNothingElseButWhatAwsChecksForThem() throws IOException {
        var called = called();
        assertTrue(called.size() > 30 && called.contains("ec2:ModifyVolume") && called.contains("s3:PutObject")
                && called.contains("autoscaling:CompleteLifecycleAction") && called.contains("ec2:AllocateAddress"),
                "the scan finds the calls: " + called);
        var allowed = actions(everything());
        var missing = new TreeSet<>(called);
        missing.removeAll(allowed);
        assertEquals(Set.of(), missing, "called but not in the policy");
        var extra = new TreeSet<>(allowed);
        extra.removeAll(called);
        extra.removeAll(IMPLIED);
        assertEquals(Set.of(), extra, "in the policy but never called");
    }

    @Test
    void everyFeatureAloneAddsExactlyItsActions() {
        var none = Optional.<String>empty();
        assertAdds(request(Set.of(), Map.of(), none, none, List.of()));
        assertAdds(request(Set.of(Use.SNAPSHOT_MOVES), Map.of(), none, none, List.of()),
                "ec2:CreateSnapshot", "ec2:DescribeSnapshots");
        assertAdds(request(Set.of(Use.PERIODIC_SNAPSHOTS), Map.of(), none, none, List.of()),
                "ec2:CreateSnapshot", "ec2:DescribeSnapshots", "ec2:DeleteSnapshot");
        assertAdds(request(Set.of(Use.MARK_UNHEALTHY), Map.of(), none, none, List.of()), "autoscaling:SetInstanceHealth");
        assertAdds(request(Set.of(Use.TERMINATE_SELF), Map.of(), none, none, List.of()),
                "autoscaling:TerminateInstanceInAutoScalingGroup");
        assertAdds(request(Set.of(), Map.of("lifecycleHook", "h"), none, none, List.of()),
                "autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat");
        assertAdds(request(Set.of(), Map.of(), none, Optional.of("snap-1"), List.of()), "ec2:DescribeSnapshots");
        assertAdds(request(Set.of(), Map.of(), Optional.of("k"), none, List.of()), "kms:DescribeKey",
                "kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt", "kms:ReEncrypt*", "kms:CreateGrant");
        assertAdds(request(Set.of(Use.ELASTIC_IPS), Map.of(), none, none, List.of()), "ec2:DescribeAddresses",
                "ec2:AllocateAddress", "ec2:AssociateAddress", "ec2:DisassociateAddress");
        assertAdds(request(Set.of(Use.ELASTIC_IPS), Map.of(), none, none, List.of("eipalloc-1")), "ec2:DescribeAddresses",
                "ec2:AssociateAddress", "ec2:DisassociateAddress");
        assertAdds(request(Set.of(Use.INTERFACES), Map.of(), none, none, List.of()), "ec2:DescribeNetworkInterfaces",
                "ec2:CreateNetworkInterface", "ec2:AttachNetworkInterface", "ec2:DetachNetworkInterface");
        assertAdds(request(Set.of(Use.OPERATOR), Map.of(), none, none, List.of()), "ec2:DescribeSnapshots",
                "ec2:DeleteVolume", "ec2:DeleteSnapshot");
    }

    private static void assertAdds(PermissionRequest r, String... added) {
        var expected = new TreeSet<>(BASE);
        expected.addAll(List.of(added));
        assertEquals(expected, actions(new AwsCloudProviderFactory().permissions(r)), r.uses().toString());
    }

    @Test
    void deletesAreOnlyOnTheClustersOwnResourcesAndAnInstanceDeletesOnlyPeriodicSnapshots() {
        var instance = new AwsCloudProviderFactory().permissions(request(Set.of(Use.PERIODIC_SNAPSHOTS), Map.of(),
                Optional.empty(), Optional.empty(), List.of()));
        var delete = instance.stream().filter(s -> s.actions().contains("ec2:DeleteSnapshot")).toList();
        assertEquals(1, delete.size(), delete.toString());
        assertEquals(List.of("periodic"), delete.getFirst().conditions().get("StringEquals").get("ec2:ResourceTag/berth:kind"));
        var operator = new AwsCloudProviderFactory().permissions(request(Set.of(Use.OPERATOR), Map.of(),
                Optional.empty(), Optional.empty(), List.of()));
        for (var s : operator) {
            if (s.actions().stream().anyMatch(a -> a.startsWith("ec2:Delete"))) {
                assertEquals(List.of("avax"), s.conditions().get("StringEquals").get("ec2:ResourceTag/berth:cluster"),
                        s.toString());
            }
        }
    }

    @Test
    void aKmsAliasIsAConditionOnTheRegionsKeysAndAKeyArnStaysAsItIs() {
        var byAlias = new KmsKeyProviderFactory().permissions(request(Set.of(), Map.of(), Optional.empty(),
                Optional.empty(), List.of()).withSettings(new PluginConfig("keys.settings",
                Map.of("keyId", "alias/berth", "region", "us-gov-west-1"))));
        for (var s : byAlias) {
            assertEquals(List.of("arn:aws-us-gov:kms:us-gov-west-1:*:key/*"), s.resources(), s.toString());
        }
        assertEquals(List.of("alias/berth"), byAlias.getFirst().conditions().get("StringEquals").get("kms:RequestAlias"));
        var byArn = new KmsKeyProviderFactory().permissions(PermissionRequest.minimal("avax",
                new PluginConfig("keys.settings", Map.of("keyId", "arn:aws-cn:kms:cn-north-1:1:key/k"))));
        byArn.forEach(s -> assertEquals(List.of("arn:aws-cn:kms:cn-north-1:1:key/k"), s.resources()));
        assertEquals(List.of("cluster avax slot *"),
                byArn.getLast().conditions().get("StringLike").get("kms:EncryptionContext:berth:context"));
    }

    @Test
    void arnsAreInThePartitionOfTheRegionAndVolumesAttachOnlyToTheGroupsInstances() {
        var gov = new AwsCloudProviderFactory().permissions(new PermissionRequest("avax", new PluginConfig(
                "providerSettings", Map.of("region", "us-gov-west-1", "group", "asg-1")), Optional.empty(), Set.of(),
                Optional.empty(), Optional.empty(), List.of()));
        gov.stream().flatMap(s -> s.resources().stream()).filter(r -> r.startsWith("arn:"))
                .forEach(r -> assertTrue(r.startsWith("arn:aws-us-gov:"), r));
        var attach = gov.stream().filter(s -> s.sid().equals("BerthAttachToGroupInstances")).findFirst().orElseThrow();
        assertEquals(List.of("asg-1"), attach.conditions().get("StringEquals").get("aws:ResourceTag/aws:autoscaling:groupName"));
        var anyGroup = new AwsCloudProviderFactory().permissions(PermissionRequest.minimal("avax",
                PluginConfig.empty("providerSettings")));
        assertFalse(anyGroup.stream().flatMap(s -> s.resources().stream()).anyMatch(r -> r.contains("aws-us-gov")));
    }
}
