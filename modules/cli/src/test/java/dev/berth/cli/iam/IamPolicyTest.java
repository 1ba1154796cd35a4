package dev.berth.cli.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The policy parses as JSON and names exactly the actions each feature set uses. */
class IamPolicyTest {
    private static final List<String> BASE = List.of("autoscaling:DescribeAutoScalingGroups",
            "autoscaling:DescribeAutoScalingInstances", "ec2:AttachVolume", "ec2:CreateTags", "ec2:CreateVolume",
            "ec2:DescribeInstances", "ec2:DescribeVolumes", "ec2:DetachVolume");

    @Test
    void minimalPolicyHasOnlyTheProvidersBasics() {
        var doc = parse(IamPolicy.json(IamPolicy.Features.minimal("avax")));
        assertEquals("2012-10-17", doc.get("Version"));
        assertEquals(new TreeSet<>(BASE), actions(doc));
        var create = statement(doc, "BerthCreateTaggedVolumes");
        assertEquals(Map.of("StringEquals", Map.of("aws:RequestTag/berth:cluster", "avax")), create.get("Condition"));
        assertEquals(Map.of("StringEquals", Map.of("ec2:ResourceTag/berth:cluster", "avax")),
                statement(doc, "BerthAttachOwnVolumes").get("Condition"));
    }

    @Test
    void everyFeatureAddsExactlyItsActions() {
        var all = new IamPolicy.Features("avax", Optional.of("berth-claims"), "prod/", Optional.of("arn:aws:kms:us-east-1:1:key/b"),
                Optional.of("arn:aws:kms:us-east-1:1:key/v"), true, Optional.of("snap-0seed"), true, true, true,
                Optional.of("avax-asg"));
        var doc = parse(IamPolicy.json(all));
        var expected = new TreeSet<>(BASE);
        expected.addAll(List.of("ec2:CreateSnapshot", "ec2:DescribeSnapshots", "autoscaling:SetInstanceHealth",
                "autoscaling:TerminateInstanceInAutoScalingGroup", "autoscaling:CompleteLifecycleAction",
                "autoscaling:RecordLifecycleActionHeartbeat", "kms:GenerateDataKey", "kms:Decrypt", "kms:DescribeKey",
                "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncrypt*", "kms:CreateGrant", "s3:GetObject", "s3:PutObject",
                "s3:DeleteObject", "s3:ListBucket"));
        assertEquals(expected, actions(doc));
        assertEquals(List.copyOf(expected), IamPolicy.actions(all));
        assertEquals("arn:aws:kms:us-east-1:1:key/b", statement(doc, "BerthIdentityBackupKey").get("Resource"));
        assertEquals("arn:aws:s3:::berth-claims/prod/*", statement(doc, "BerthClaimStoreObjects").get("Resource"));
        assertEquals("arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/avax-asg",
                statement(doc, "BerthGroupActions").get("Resource"));
        assertEquals(Map.of("StringEquals", Map.of("ec2:CreateAction", List.of("CreateVolume", "CreateSnapshot")),
                        "ForAllValues:StringLike", Map.of("aws:TagKeys", List.of("berth:*", "Name"))),
                statement(doc, "BerthTagOnCreate").get("Condition"));
    }

    @Test
    void eachFeatureAlone() {
        var min = IamPolicy.Features.minimal("c");
        assertAdds(new IamPolicy.Features("c", Optional.empty(), "", Optional.of("arn:k"), Optional.empty(), false,
                Optional.empty(), false, false, false, Optional.empty()), "kms:Decrypt", "kms:GenerateDataKey");
        assertAdds(new IamPolicy.Features("c", Optional.of("b"), "", Optional.empty(), Optional.empty(), false,
                Optional.empty(), false, false, false, Optional.empty()), "s3:DeleteObject", "s3:GetObject", "s3:ListBucket",
                "s3:PutObject");
        assertAdds(new IamPolicy.Features("c", Optional.empty(), "", Optional.empty(), Optional.empty(), true,
                Optional.empty(), false, false, false, Optional.empty()), "ec2:CreateSnapshot", "ec2:DescribeSnapshots");
        assertAdds(new IamPolicy.Features("c", Optional.empty(), "", Optional.empty(), Optional.empty(), false,
                Optional.of("snap-1"), false, false, false, Optional.empty()), "ec2:DescribeSnapshots");
        assertAdds(new IamPolicy.Features("c", Optional.empty(), "", Optional.empty(), Optional.empty(), false,
                Optional.empty(), true, false, false, Optional.empty()), "autoscaling:SetInstanceHealth");
        assertAdds(new IamPolicy.Features("c", Optional.empty(), "", Optional.empty(), Optional.empty(), false,
                Optional.empty(), false, true, false, Optional.empty()), "autoscaling:TerminateInstanceInAutoScalingGroup");
        assertAdds(new IamPolicy.Features("c", Optional.empty(), "", Optional.empty(), Optional.empty(), false,
                Optional.empty(), false, false, true, Optional.empty()), "autoscaling:CompleteLifecycleAction",
                "autoscaling:RecordLifecycleActionHeartbeat");
        assertEquals(new TreeSet<>(BASE), actions(parse(IamPolicy.json(min))));
    }

    @Test
    void quotesAClusterNameSafely() {
        var doc = parse(IamPolicy.json(IamPolicy.Features.minimal("we\"ird\\name")));
        assertEquals(Map.of("StringEquals", Map.of("aws:RequestTag/berth:cluster", "we\"ird\\name")),
                statement(doc, "BerthCreateTaggedVolumes").get("Condition"));
    }

    @Test
    void aKmsAliasIsNeverAResourceButAConditionOnTheRegionsKeys() {
        var features = new IamPolicy.Features("avax", Optional.empty(), "", Optional.of("alias/berth"),
                Optional.of("alias/ebs-berth"), false, Optional.empty(), false, false, false, Optional.empty(),
                Optional.of("eu-west-1"));
        var doc = parse(IamPolicy.json(features));
        for (var sid : List.of("BerthIdentityBackupKey", "BerthIdentityBackupOpen", "BerthEncryptedVolumes",
                "BerthEncryptedVolumeGrants")) {
            assertEquals("arn:aws:kms:eu-west-1:*:key/*", statement(doc, sid).get("Resource"), sid);
        }
        assertKmsResourcesAreKeyArns(doc);
        assertEquals(Map.of("StringLike", Map.of("kms:EncryptionContext:berth:context", "cluster avax slot *"),
                        "StringEquals", Map.of("kms:RequestAlias", "alias/berth")),
                statement(doc, "BerthIdentityBackupKey").get("Condition"));
        assertEquals(Map.of("StringLike", Map.of("kms:EncryptionContext:berth:context", "cluster avax slot *")),
                statement(doc, "BerthIdentityBackupOpen").get("Condition"));
        assertEquals(Map.of("ForAnyValue:StringEquals", Map.of("kms:ResourceAliases", "alias/ebs-berth")),
                statement(doc, "BerthEncryptedVolumes").get("Condition"));
        assertEquals(List.of("kms:DescribeKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt", "kms:ReEncrypt*"),
                statement(doc, "BerthEncryptedVolumes").get("Action"));
    }

    @Test
    void aBareKeyIdOrAnAliasArnBecomesAKeyArn() {
        var features = new IamPolicy.Features("avax", Optional.empty(), "", Optional.of("1234abcd-12ab-34cd-56ef-1234567890ab"),
                Optional.of("arn:aws:kms:us-east-2:111122223333:alias/ebs"), false, Optional.empty(), false, false, false,
                Optional.empty(), Optional.of("us-east-2"));
        var doc = parse(IamPolicy.json(features));
        assertEquals("arn:aws:kms:us-east-2:*:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                statement(doc, "BerthIdentityBackupKey").get("Resource"));
        assertEquals("arn:aws:kms:us-east-2:111122223333:key/*", statement(doc, "BerthEncryptedVolumes").get("Resource"));
        assertKmsResourcesAreKeyArns(doc);
    }

    @Test
    void arnsAreInThePartitionOfTheRegion() {
        for (var regionAndPartition : List.of(List.of("us-gov-west-1", "aws-us-gov"), List.of("cn-north-1", "aws-cn"),
                List.of("eu-central-1", "aws"))) {
            var features = new IamPolicy.Features("avax", Optional.of("claims"), "", Optional.of("alias/berth"),
                    Optional.empty(), true, Optional.of("snap-1"), true, false, false, Optional.of("avax-asg"),
                    Optional.of(regionAndPartition.get(0)));
            var json = IamPolicy.json(features);
            var partition = regionAndPartition.get(1);
            var arns = json.split("\"arn:");
            for (int i = 1; i < arns.length; i++) {
                assertTrue(arns[i].startsWith(partition + ":"), "arn:" + arns[i].split("\"")[0] + " in " + partition);
            }
            assertTrue(arns.length > 5, json);
        }
        var fromKeyArn = new IamPolicy.Features("avax", Optional.empty(), "", Optional.of("arn:aws-cn:kms:cn-north-1:1:key/k"),
                Optional.empty(), false, Optional.empty(), false, false, false, Optional.empty());
        assertTrue(IamPolicy.json(fromKeyArn).contains("\"arn:aws-cn:ec2:*:*:volume/*\""));
    }

    @Test
    void volumesAttachOnlyToInstancesOfTheGroupAndTagsAreBerthsOwn() {
        var named = parse(IamPolicy.json(new IamPolicy.Features("avax", Optional.empty(), "", Optional.empty(),
                Optional.empty(), true, Optional.empty(), false, false, false, Optional.of("avax-asg"))));
        assertEquals(Map.of("StringEquals", Map.of("aws:ResourceTag/aws:autoscaling:groupName", "avax-asg")),
                statement(named, "BerthAttachToGroupInstances").get("Condition"));
        assertEquals(Map.of("Null", Map.of("aws:ResourceTag/aws:autoscaling:groupName", "false")),
                statement(parse(IamPolicy.json(IamPolicy.Features.minimal("avax"))), "BerthAttachToGroupInstances")
                        .get("Condition"));
        for (var sid : List.of("BerthTagOnCreate", "BerthTagOwnResources")) {
            @SuppressWarnings("unchecked")
            var condition = (Map<String, Object>) statement(named, sid).get("Condition");
            assertEquals(Map.of("aws:TagKeys", List.of("berth:*", "Name")), condition.get("ForAllValues:StringLike"), sid);
        }
    }

    @SuppressWarnings("unchecked")
    private static void assertKmsResourcesAreKeyArns(Map<String, Object> doc) {
        for (Object s : (List<Object>) doc.get("Statement")) {
            var statement = (Map<String, Object>) s;
            var actions = statement.get("Action") instanceof String one ? List.of(one) : (List<Object>) statement.get("Action");
            if (actions.stream().noneMatch(a -> ((String) a).startsWith("kms:"))) {
                continue;
            }
            var resources = statement.get("Resource") instanceof String one ? List.of(one) : (List<Object>) statement.get("Resource");
            for (var r : resources) {
                assertTrue(((String) r).matches("arn:[a-z-]+:kms:[^:]+:[^:]+:key/[^/]+"), statement.get("Sid") + ": " + r);
            }
        }
    }

    private static void assertAdds(IamPolicy.Features features, String... added) {
        var expected = new TreeSet<>(BASE);
        expected.addAll(List.of(added));
        assertEquals(expected, actions(parse(IamPolicy.json(features))));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> statement(Map<String, Object> doc, String sid) {
        return ((List<Object>) doc.get("Statement")).stream().map(s -> (Map<String, Object>) s)
                .filter(s -> sid.equals(s.get("Sid"))).findFirst().orElseThrow(() -> new AssertionError("no statement " + sid));
    }

    @SuppressWarnings("unchecked")
    private static TreeSet<String> actions(Map<String, Object> doc) {
        var all = new TreeSet<String>();
        for (Object s : (List<Object>) doc.get("Statement")) {
            var statement = (Map<String, Object>) s;
            assertEquals("Allow", statement.get("Effect"));
            assertTrue(statement.containsKey("Resource"));
            Object action = statement.get("Action");
            if (action instanceof String one) {
                all.add(one);
            } else {
                ((List<Object>) action).forEach(a -> all.add((String) a));
            }
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json) {
        var parser = new MiniJson(json);
        var value = parser.value();
        parser.skip();
        assertEquals(json.length(), parser.at, "trailing text after the document");
        return (Map<String, Object>) value;
    }

    /** Just enough JSON: objects, arrays, strings with escapes, true/false. Throws on anything unbalanced. */
    private static final class MiniJson {
        final String s;
        int at;

        MiniJson(String s) {
            this.s = s;
        }

        void skip() {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
                at++;
            }
        }

        void expect(char c) {
            skip();
            if (at >= s.length() || s.charAt(at) != c) {
                throw new AssertionError("expected '" + c + "' at " + at + " in:\n" + s);
            }
            at++;
        }

        Object value() {
            skip();
            char c = s.charAt(at);
            if (c == '{') {
                var map = new LinkedHashMap<String, Object>();
                expect('{');
                skip();
                if (s.charAt(at) == '}') {
                    at++;
                    return map;
                }
                do {
                    skip();
                    String key = string();
                    expect(':');
                    if (map.put(key, value()) != null) {
                        throw new AssertionError("duplicate key " + key);
                    }
                    skip();
                } while (s.charAt(at++) == ',');
                if (s.charAt(at - 1) != '}') {
                    throw new AssertionError("unbalanced object at " + at);
                }
                return map;
            }
            if (c == '[') {
                var list = new ArrayList<Object>();
                expect('[');
                do {
                    list.add(value());
                    skip();
                } while (s.charAt(at++) == ',');
                if (s.charAt(at - 1) != ']') {
                    throw new AssertionError("unbalanced array at " + at);
                }
                return list;
            }
            if (c == '"') {
                return string();
            }
            throw new AssertionError("unexpected '" + c + "' at " + at);
        }

        String string() {
            expect('"');
            var out = new StringBuilder();
            while (true) {
                char c = s.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(at++);
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        case 'u' -> {
                            out.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
                            at += 4;
                        }
                        default -> out.append(e);
                    }
                } else if (c < 0x20) {
                    throw new AssertionError("raw control character in a string at " + at);
                } else {
                    out.append(c);
                }
            }
        }
    }
}
