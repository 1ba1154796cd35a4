package dev.berth.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.store.tck.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 3: the example stack an operator starts from, {@code examples/aws/berth-fleet.yaml},
 * deploys on moto's CloudFormation ({@code scripts/example_stack.py}, the same code fleet.sh deploys it
 * with) and makes what it must: an Auto Scaling group over three zones on the stack's launch template,
 * whose user data writes the berth YAML and enables the units that run {@code berth claim} and
 * {@code berth keeper}; an EC2 instance role and profile whose policy is exactly what the built image's
 * {@code berth iam-policy} prints for that YAML; the claim store's bucket; a KMS key with rotation.
 * moto ignores the group's lifecycle hook specification (listed in plugins/aws/README.md), so the hook is
 * checked in the template and against the YAML's {@code lifecycleHook}.
 */
class ExampleStackTest {
    private static final Path REPO = ImageProcess.IMAGE.getParent().getParent().getParent();
    private static final Path TEMPLATE = REPO.resolve("examples/aws/berth-fleet.yaml");

    @Test
    void theExampleStackDeploysOnMotoWithTheGroupTheUnitsAndExactlyTheGeneratedPolicy() throws Exception {
        var moto = System.getenv("BERTH_TEST_MOTO");
        TestServers.need(moto != null && !moto.isBlank(), "BERTH_TEST_MOTO is not set: start the test servers with"
                + " 'bash scripts/servers.sh start DIR && source DIR/servers.env'");
        TestServers.need(ImageProcess.run(REPO, Map.of(), List.of("python3", "-c", "import boto3")).code() == 0,
                "the example stack's deployment needs boto3 in the machine's python3");
        var run = ImageProcess.run(REPO, Map.of("PYTHONDONTWRITEBYTECODE", "1", "HOME", System.getProperty("java.io.tmpdir")),
                List.of("python3", "scripts/example_stack.py", "--endpoint", moto, "--berth",
                        ImageProcess.IMAGE.resolve("bin/berth").toString()));
        assertEquals(0, run.code(), run.toString());
        var facts = facts(run.out());

        assertEquals(Set.of("BackupKey:AWS::KMS::Key", "ClaimBucket:AWS::S3::Bucket", "Group:AWS::AutoScaling::AutoScalingGroup",
                "InstanceProfile:AWS::IAM::InstanceProfile", "InstanceRole:AWS::IAM::Role",
                "LaunchTemplate:AWS::EC2::LaunchTemplate"), set(facts.get("resources")));

        // the group: three zones, one subnet each, six instances of the stack's launch template, tagged with the cluster
        assertEquals("us-east-1a,us-east-1b,us-east-1c", facts.get("groupSubnetZones"));
        assertEquals("us-east-1a,us-east-1b,us-east-1c", facts.get("groupZones"));
        assertEquals("6,6,6", facts.get("groupSize"));
        assertEquals("6", facts.get("groupInstances"));
        assertEquals(facts.get("launchTemplate"), facts.get("groupLaunchTemplate"));
        assertEquals("berth:cluster=avax-fleet:True", facts.get("groupTags"));
        // the terminate hook berth keeper completes (moto drops it: empty, or the right one if moto learns it)
        assertTrue(Set.of("", "berth-release").contains(facts.get("lifecycleHooksFromTemplate")), facts.toString());
        var template = Files.readString(TEMPLATE);
        assertTrue(template.contains("LifecycleHookName: berth-release\n          LifecycleTransition:"
                + " autoscaling:EC2_INSTANCE_TERMINATING"), "the template's terminate hook");
        assertTrue(template.contains("lifecycleHook: berth-release"), "the YAML names the template's hook");

        // the launch template: IMDSv2 only, the instance profile, user data that enables berth's units
        assertEquals(facts.get("profileArn"), facts.get("launchTemplateProfile"));
        assertTrue(facts.get("launchTemplateMetadata").contains("HttpTokens=required"), facts.get("launchTemplateMetadata"));
        assertEquals("true", facts.get("userDataConfig"), "user data writes /etc/berth/berth.yaml");
        assertTrue(facts.get("userDataCommands").contains("systemctl enable --now berth-claim berth-keeper"),
                facts.get("userDataCommands"));
        var claimUnit = Files.readString(ImageProcess.IMAGE.resolve("systemd/berth-claim.service"));
        var keeperUnit = Files.readString(ImageProcess.IMAGE.resolve("systemd/berth-keeper.service"));
        assertTrue(claimUnit.contains("ExecStart=/opt/berth/bin/berth claim --config /etc/berth/berth.yaml"), claimUnit);
        assertTrue(keeperUnit.contains("ExecStart=/opt/berth/bin/berth keeper --config /etc/berth/berth.yaml"), keeperUnit);

        // the role: EC2 may assume it, the profile holds it, and its one policy is what berth iam-policy prints
        assertEquals("ec2.amazonaws.com", facts.get("roleTrust"));
        assertEquals(facts.get("role"), facts.get("profileRoles"));
        assertEquals("berth", facts.get("rolePolicies"));
        assertEquals(null, facts.get("berthIamPolicyError"), "berth iam-policy on the user data's YAML");
        assertEquals(facts.get("berthPolicyActions"), facts.get("rolePolicyActions"), "the same actions");
        assertEquals("true", facts.get("rolePolicyEqualsBerthIamPolicy"), "the template's copy of the policy is stale:"
                + " paste the output of berth iam-policy into examples/aws/berth-fleet.yaml\nberth: "
                + facts.get("berthPolicy") + "\nstack: " + facts.get("rolePolicy"));

        // the claim store's bucket and the backups' key
        assertEquals("true", facts.get("bucketExists"));
        assertTrue(facts.get("outputs").contains("ClaimStore=s3://" + facts.get("bucket") + "/avax-fleet"), facts.get("outputs"));
        assertEquals("true", facts.get("keyListed"));
        assertEquals("true", facts.get("keyRotation"));
        assertTrue(facts.get("outputs").contains("BackupKeyArn=" + facts.get("keyArn")), facts.get("outputs"));
    }

    private static Map<String, String> facts(String out) {
        var facts = new LinkedHashMap<String, String>();
        for (var line : out.lines().toList()) {
            var eq = line.indexOf('=');
            if (eq > 0) {
                facts.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return facts;
    }

    private static Set<String> set(String commaSeparated) {
        return new TreeSet<>(List.of(commaSeparated.split(",")));
    }
}
