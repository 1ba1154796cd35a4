#!/usr/bin/env python3
"""Deploys examples/aws/berth-fleet.yaml on moto's CloudFormation and describes what the stack made.

Used by scripts/fleet.py (the fleet runs on the stack's bucket, key and group) and by the image's
ExampleStackTest, which holds the description to what the template must create:

    python3 scripts/example_stack.py --endpoint http://127.0.0.1:PORT [--berth runtime-image/target/berth/bin/berth]

prints one fact a line (`name=value`), so that a test reads it without a JSON parser. With --berth it
also runs `berth iam-policy` on the YAML the launch template's user data writes and compares it with
the role's policy in the stack (canonical JSON, sorted). moto 5.2.1 deploys the stack but ignores
LifecycleHookSpecificationList (put_lifecycle_hook adds the hook: `lifecycleHooksFromTemplate`),
places every instance of the group in its first zone, returns an inline role policy from
CloudFormation as Python's repr of the document (parsed here with ast.literal_eval), and answers
DescribeKey with HTTP 500 for the stack's KMS key (GenerateDataKey and Decrypt work).
"""
import argparse
import ast
import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import uuid

import boto3

REGION = "us-east-1"
TEMPLATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "aws", "berth-fleet.yaml")


def clients(endpoint, key="testing", secret="testing"):
    def make(service):
        return boto3.client(service, endpoint_url=endpoint, region_name=REGION, aws_access_key_id=key,
                            aws_secret_access_key=secret)
    return {s: make(s) for s in ("cloudformation", "ec2", "autoscaling", "iam", "s3", "kms")}


def subnets(ec2, zones):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    return [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=z)["Subnet"]["SubnetId"]
            for i, z in enumerate(zones)]


def deploy(c, stack, zones, size, cluster):
    """Creates the stack (one subnet per zone); returns {logical id: physical id} and the outputs."""
    ami = c["ec2"].describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    with open(TEMPLATE) as f:
        body = f.read()
    params = {"ImageId": ami, "Subnets": ",".join(subnets(c["ec2"], zones)), "Size": str(size), "Cluster": cluster}
    c["cloudformation"].create_stack(StackName=stack, TemplateBody=body, Capabilities=["CAPABILITY_IAM"],
                                     Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in params.items()])
    described = c["cloudformation"].describe_stacks(StackName=stack)["Stacks"][0]
    if described["StackStatus"] != "CREATE_COMPLETE":
        raise RuntimeError(f"stack {stack}: {described['StackStatus']} {described.get('StackStatusReason', '')}")
    resources = {r["LogicalResourceId"]: r["PhysicalResourceId"]
                 for r in c["cloudformation"].describe_stack_resources(StackName=stack)["StackResources"]}
    outputs = {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}
    return resources, outputs


def document(value):
    """A policy document as moto returns it: a dict, JSON text, or (from CloudFormation) Python's repr."""
    if isinstance(value, dict):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return ast.literal_eval(value)


def canonical(policy):
    """The policy with one-element lists as scalars and keys sorted, so that equal policies print equal."""
    def norm(v):
        if isinstance(v, list):
            items = [norm(x) for x in v]
            return items[0] if len(items) == 1 else sorted(items, key=lambda x: json.dumps(x, sort_keys=True))
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items()}
        return v
    return json.dumps(norm(policy), sort_keys=True)


def actions(policy):
    found = set()
    for s in policy["Statement"]:
        a = s.get("Action", [])
        found.update([a] if isinstance(a, str) else a)
    return sorted(found)


def describe(c, resources, outputs, berth=None):
    facts = {}
    types = {r["LogicalResourceId"]: r["ResourceType"] for r in
             c["cloudformation"].describe_stack_resources(StackName=resources["_stack"])["StackResources"]}
    facts["resources"] = ",".join(sorted(f"{k}:{v}" for k, v in types.items()))
    group_name = resources["Group"]
    g = c["autoscaling"].describe_auto_scaling_groups(AutoScalingGroupNames=[group_name])["AutoScalingGroups"][0]
    facts["groupZones"] = ",".join(sorted(g["AvailabilityZones"]))
    subnet_ids = g["VPCZoneIdentifier"].split(",")
    facts["groupSubnetZones"] = ",".join(sorted(s["AvailabilityZone"] for s in
                                                c["ec2"].describe_subnets(SubnetIds=subnet_ids)["Subnets"]))
    facts["groupSize"] = f"{g['MinSize']},{g['MaxSize']},{g['DesiredCapacity']}"
    facts["groupInstances"] = len(g["Instances"])
    facts["groupLaunchTemplate"] = g["LaunchTemplate"]["LaunchTemplateId"]
    facts["groupTags"] = ",".join(sorted(f"{t['Key']}={t['Value']}:{t['PropagateAtLaunch']}" for t in g["Tags"]))
    hooks = c["autoscaling"].describe_lifecycle_hooks(AutoScalingGroupName=group_name)["LifecycleHooks"]
    facts["lifecycleHooksFromTemplate"] = ",".join(h["LifecycleHookName"] for h in hooks)
    facts["outputs"] = ",".join(f"{k}={v}" for k, v in sorted(outputs.items()))

    lt = resources["LaunchTemplate"]
    data = c["ec2"].describe_launch_template_versions(LaunchTemplateId=lt)["LaunchTemplateVersions"][0]["LaunchTemplateData"]
    user_data = base64.b64decode(data.get("UserData", "")).decode()
    facts["launchTemplate"] = lt
    facts["launchTemplateProfile"] = data.get("IamInstanceProfile", {}).get("Arn", "")
    facts["launchTemplateMetadata"] = ",".join(f"{k}={v}" for k, v in sorted(data.get("MetadataOptions", {}).items()))
    facts["userDataCommands"] = ",".join(l.strip() for l in user_data.splitlines() if l.strip().startswith("systemctl"))

    role = resources["InstanceRole"]
    trust = document(c["iam"].get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"])
    facts["roleTrust"] = ",".join(sorted(s["Principal"]["Service"] for s in trust["Statement"]))
    names = c["iam"].list_role_policies(RoleName=role)["PolicyNames"]
    facts["rolePolicies"] = ",".join(names)
    policy = document(c["iam"].get_role_policy(RoleName=role, PolicyName="berth")["PolicyDocument"])
    facts["rolePolicyActions"] = ",".join(actions(policy))
    profile = c["iam"].get_instance_profile(InstanceProfileName=resources["InstanceProfile"])["InstanceProfile"]
    facts["profileArn"] = profile["Arn"]
    facts["profileRoles"] = ",".join(r["RoleName"] for r in profile["Roles"])
    facts["role"] = role

    bucket = resources["ClaimBucket"]
    facts["bucket"] = bucket
    facts["bucketExists"] = any(b["Name"] == bucket for b in c["s3"].list_buckets()["Buckets"])
    # not DescribeKey: moto 5.2.1 answers it with HTTP 500 for a key CloudFormation made (its KeyPolicy is kept as
    # a dict, which DescribeKey json.loads); GenerateDataKey and Decrypt work
    key_id = resources["BackupKey"]
    facts["keyListed"] = any(k["KeyId"] == key_id for k in c["kms"].list_keys()["Keys"])
    facts["keyArn"] = outputs.get("BackupKeyArn", "")
    facts["keyRotation"] = c["kms"].get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"]

    config = re.search(r"<<'YAML'\n(.*?)\nYAML", user_data, re.S)
    facts["userDataConfig"] = bool(config)
    if berth and config:
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write(config.group(1) + "\n")
        try:
            run = subprocess.run([berth, "iam-policy", "--config", f.name], capture_output=True, text=True)
        finally:
            os.unlink(f.name)
        if run.returncode != 0:
            facts["berthIamPolicyError"] = " ".join(run.stderr.split())
        else:
            generated = json.loads(run.stdout)
            facts["berthPolicyActions"] = ",".join(actions(generated))
            facts["rolePolicyEqualsBerthIamPolicy"] = canonical(generated) == canonical(policy)
            if canonical(generated) != canonical(policy):
                facts["berthPolicy"] = canonical(generated)
                facts["rolePolicy"] = canonical(policy)
    return facts


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--endpoint", required=True)
    p.add_argument("--berth", help="bin/berth of the built image: compare the role's policy with berth iam-policy")
    p.add_argument("--cluster", default="avax-fleet")
    p.add_argument("--size", type=int, default=6)
    args = p.parse_args()
    c = clients(args.endpoint)
    stack = "berth-example-" + uuid.uuid4().hex[:8]
    resources, outputs = deploy(c, stack, [f"{REGION}{z}" for z in "abc"], args.size, args.cluster)
    resources["_stack"] = stack
    facts = describe(c, resources, outputs, args.berth)
    facts["stack"] = stack
    for k, v in facts.items():
        print(f"{k}={str(v).lower() if isinstance(v, bool) else v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
