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
                "kms:GenerateDataKeyWithoutPlaintext", "kms:CreateGrant", "s3:GetObject", "s3:PutObject",
                "s3:DeleteObject", "s3:ListBucket"));
        assertEquals(expected, actions(doc));
        assertEquals(List.copyOf(expected), IamPolicy.actions(all));
        assertEquals("arn:aws:kms:us-east-1:1:key/b", statement(doc, "BerthIdentityBackupKey").get("Resource"));
        assertEquals("arn:aws:s3:::berth-claims/prod/*", statement(doc, "BerthClaimStoreObjects").get("Resource"));
        assertEquals("arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/avax-asg",
                statement(doc, "BerthGroupActions").get("Resource"));
        assertEquals(Map.of("StringEquals", Map.of("ec2:CreateAction", List.of("CreateVolume", "CreateSnapshot"))),
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
