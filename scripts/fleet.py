#!/usr/bin/env python3
"""The fleet in a box: the built image claims, refreshes and loses a fleet on an AWS-shaped world.

Driven by scripts/fleet.sh (which cleans up whatever happens). One machine, as root:
  - moto (EC2, Auto Scaling, S3, KMS, IAM, CloudFormation) on 127.0.0.1, enforcing IAM after three bootstrap
    calls, with the example stack examples/aws/berth-fleet.yaml deployed on it (scripts/example_stack.py);
  - one IMDSv2 endpoint per instance (instance id, zone, region, group tag, target lifecycle state);
  - a device bridge: a volume moto shows attached to instance I is a sparse file on a loop device,
    linked as <I>/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_volXXXX (linux-fs byIdDir);
  - one real `bin/berth claim` per instance, with the credentials of an IAM user whose only policy is
    `berth iam-policy` of the same config (as moto evaluates policies: see plugins/aws/README.md);
  - `berth keeper` beside a stand-in workload (a process with its cwd on the data volume).
Scenarios: boot, refresh, crash, least-privilege. Prints a progress line per step on stderr and, with
--json, one JSON summary as the last line of stdout. Exit 0 only when every check holds.
"""
import argparse
import http.server
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

import example_stack

REGION = "us-east-1"
HOOK = "berth-release"
CLUSTER = "fleet"
VOLUME_GIB = 1


def log(message):
    print(f"fleet [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Violations:
    def __init__(self):
        self.items = []

    def check(self, ok, what):
        if not ok:
            self.items.append(what)
            log(f"VIOLATION: {what}")
        return ok


# ---------------------------------------------------------------- moto and IAM

def start_moto(work):
    port = free_port()
    script = os.environ.get("FLEET_MOTO_SCRIPT") or os.path.join(work, "moto_single_thread.py")
    with open(os.path.join(work, "moto_single_thread.py"), "w") as f:
        f.write(
            "import sys\n"
            "from urllib.parse import quote, unquote\n"
            "from werkzeug.serving import run_simple\n"
            "from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app\n"
            "import moto.iam.access_control as ac\n"
            "# moto 5.2.1 checks a signature against the decoded query ('prefix=a/b'); SigV4 signs it encoded\n"
            "# ('prefix=a%2Fb'), so every ListObjectsV2 with a '/' in its prefix fails SignatureDoesNotMatch\n"
            "_create = ac.IAMRequestBase._create_aws_request\n"
            "def _encoded(self):\n"
            "    path, sep, query = self._path.partition('?')\n"
            "    if sep:\n"
            "        enc = lambda x: quote(unquote(x), safe='-_.~')\n"
            "        self._path = path + '?' + '&'.join(enc(k) + e + enc(v) for k, e, v in\n"
            "                                           (p.partition('=') for p in query.split('&')))\n"
            "    return _create(self)\n"
            "ac.IAMRequestBase._create_aws_request = _encoded\n"
            "run_simple('127.0.0.1', int(sys.argv[1]), DomainDispatcherApplication(create_backend_app),"
            " threaded=False, use_reloader=False)\n")
    env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT="3")
    logf = open(os.path.join(work, "moto.log"), "w")
    proc = subprocess.Popen([sys.executable, script, str(port)], stdout=logf, stderr=subprocess.STDOUT, env=env,
                            cwd=work)
    with open(os.path.join(work, "moto.pid"), "w") as f:
        f.write(str(proc.pid))
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    import urllib.request
    while True:
        try:
            urllib.request.urlopen(endpoint + "/moto-api/", timeout=2)  # not an AWS action: not counted
            return proc, endpoint
        except Exception:
            if proc.poll() is not None or time.time() > deadline:
                raise SystemExit(f"fleet: moto did not start on {endpoint}; see {work}/moto.log")
            time.sleep(0.2)


def client(service, endpoint, key, secret):
    cfg = Config(retries={"max_attempts": 2}, s3={"addressing_style": "path"})
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION, aws_access_key_id=key,
                        aws_secret_access_key=secret, config=cfg)


def bootstrap_admin(endpoint):
    """The three unauthenticated calls moto allows: an admin user, its key, an allow-all policy."""
    iam = client("iam", endpoint, "bootstrap", "bootstrap")
    iam.create_user(UserName="fleet-admin")
    key = iam.create_access_key(UserName="fleet-admin")["AccessKey"]
    iam.put_user_policy(UserName="fleet-admin", PolicyName="all", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    return key["AccessKeyId"], key["SecretAccessKey"]


def moto_view(policy):
    """The policy as moto can evaluate it: moto matches EC2, Auto Scaling and KMS requests against the
    resource "*" only (it knows no ARNs for them) and ignores conditions other than StringEquals on values it
    is not given, so those statements get Resource "*"; S3 statements keep their bucket and prefix ARNs,
    which moto does match. The actions, which this run proves, are the generated ones unchanged."""
    view = json.loads(json.dumps(policy))
    for s in view["Statement"]:
        actions = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
        if not all(a.startswith("s3:") for a in actions):
            s["Resource"] = "*"
    return view


def policy_actions(policy):
    actions = set()
    for s in policy["Statement"]:
        actions.update(s["Action"] if isinstance(s["Action"], list) else [s["Action"]])
    return sorted(actions)


def without_action(policy, action):
    view = json.loads(json.dumps(policy))
    statements = []
    for s in view["Statement"]:
        actions = [a for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]]) if a != action]
        if actions:
            s["Action"] = actions
            statements.append(s)
    view["Statement"] = statements
    return view


def role_user(iam, name, policy):
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    iam.put_user_policy(UserName=name, PolicyName="berth", PolicyDocument=json.dumps(policy))
    return key["AccessKeyId"], key["SecretAccessKey"]


# ---------------------------------------------------------------- IMDS per instance

class Imds:
    """IMDSv2 for one instance: PUT /latest/api/token, then GETs with the token."""

    def __init__(self, instance_id, zone, group):
        self.values = {
            "meta-data/instance-id": instance_id,
            "meta-data/placement/availability-zone": zone,
            "meta-data/placement/region": REGION,
            "meta-data/instance-type": "m6i.large",
            "meta-data/local-ipv4": "10.0.%d.%d" % (random.randint(0, 255), random.randint(1, 254)),
            "meta-data/tags/instance/aws:autoscaling:groupName": group,
            "meta-data/autoscaling/target-lifecycle-state": "InService",
        }
        self.token = uuid.uuid4().hex
        imds = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, body=""):
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_PUT(self):
                if self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
                    self._send(200, imds.token)
                else:
                    self._send(400)

            def do_GET(self):
                if self.headers.get("X-aws-ec2-metadata-token") != imds.token:
                    self._send(401)
                    return
                value = imds.values.get(self.path[len("/latest/"):]) if self.path.startswith("/latest/") else None
                self._send(200, value) if value is not None else self._send(404)

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # a client that hung up (a JVM killed mid-request) is not the fixture's error

        self.server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()


# ---------------------------------------------------------------- device bridge

class Bridge:
    """Backs every volume moto shows attached with a loop device and links it into that instance's by-id dir."""

    def __init__(self, work, ec2, instances):
        self.work, self.ec2, self.instances = work, ec2, instances
        self.loops = {}          # volume id -> /dev/loopN
        self.links = {}          # volume id -> link path
        self.held_back = set()   # instance ids whose attachments are not published (a crash during attach)
        self.seen_attach = {}    # instance id -> volume ids moto showed attached to it
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.errors = []
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def loop_for(self, volume_id, size_gib):
        if volume_id not in self.loops:
            image = os.path.join(self.work, "ebs", volume_id + ".img")
            os.makedirs(os.path.dirname(image), exist_ok=True)
            with open(image, "ab") as f:
                f.truncate(size_gib << 30)
            dev = subprocess.run(["losetup", "-f", "--show", image], check=True, capture_output=True,
                                 text=True).stdout.strip()
            with open(os.path.join(self.work, "loops"), "a") as f:
                f.write(dev + "\n")
            self.loops[volume_id] = dev
        return self.loops[volume_id]

    def run(self):
        while not self.stop.is_set():
            try:
                self.sync()
            except Exception as e:  # keep bridging; report at the end
                self.errors.append(str(e))
            self.stop.wait(0.2)

    def sync(self):
        volumes = self.ec2.describe_volumes(Filters=[{"Name": "tag-key", "Values": ["berth:cluster"]}])["Volumes"]
        with self.lock:
            wanted = {}
            for v in volumes:
                for a in v.get("Attachments", []):
                    if a.get("State") in ("attached", "attaching") and a["InstanceId"] in self.instances:
                        self.seen_attach.setdefault(a["InstanceId"], set()).add(v["VolumeId"])
                        if a["InstanceId"] not in self.held_back:
                            wanted[v["VolumeId"]] = (a["InstanceId"], v["Size"])
            for vol, link in list(self.links.items()):
                if vol not in wanted or not link.startswith(self.instances[wanted[vol][0]]["byid"]):
                    os.unlink(link)
                    del self.links[vol]
            for vol, (inst, size) in wanted.items():
                if vol not in self.links:
                    dev = self.loop_for(vol, size)
                    link = os.path.join(self.instances[inst]["byid"],
                                        "nvme-Amazon_Elastic_Block_Store_vol" + vol[len("vol-"):])
                    os.symlink(dev, link)
                    self.links[vol] = link

    def close(self):
        self.stop.set()
        self.thread.join(5)


# ---------------------------------------------------------------- the world

class World:
    def __init__(self, args, work, image):
        self.args, self.work, self.image = args, work, image
        self.v = Violations()
        self.moto, self.endpoint = start_moto(work)
        log(f"moto on {self.endpoint} (IAM enforced after 3 bootstrap calls)")
        key, secret = bootstrap_admin(self.endpoint)
        self.admin = (key, secret)
        self.ec2 = client("ec2", self.endpoint, key, secret)
        self.asg = client("autoscaling", self.endpoint, key, secret)
        self.iam = client("iam", self.endpoint, key, secret)
        self.s3 = client("s3", self.endpoint, key, secret)
        self.kms = client("kms", self.endpoint, key, secret)
        self.instances = {}   # id -> {zone, imds, dir, byid, mount, ...}
        self.shim = os.path.join(work, "shim")
        self.write_shims()
        self.mkfs_log = os.path.join(work, "mkfs.log")
        open(self.mkfs_log, "w").close()

    def write_shims(self):
        os.makedirs(self.shim, exist_ok=True)
        real = shutil.which("mkfs.ext4", path="/usr/sbin:/sbin:/usr/bin:/bin")
        with open(os.path.join(self.shim, "mkfs.ext4"), "w") as f:
            f.write(f"""#!/bin/bash
# counts every mkfs berth runs; kills berth right after it when a crash is armed
for dev; do :; done
echo "$(readlink -f "$dev")" >> {self.work}/mkfs.log
{real} "$@"; rc=$?
if [ -n "$BERTH_FLEET_INSTANCE" ] && [ -e "{self.work}/crash-after-mkfs.$BERTH_FLEET_INSTANCE" ]; then
  rm -f "{self.work}/crash-after-mkfs.$BERTH_FLEET_INSTANCE"; kill -9 $PPID
fi
exit $rc
""")
        with open(os.path.join(self.shim, "systemctl"), "w") as f:
            f.write(f"""#!/bin/bash
# `systemctl stop avalanchego.service` for the stand-in workload of $BERTH_FLEET_INSTANCE
[ "$1" = stop ] || {{ echo "fleet systemctl: only stop" >&2; exit 1; }}
pidfile={self.work}/instances/$BERTH_FLEET_INSTANCE/workload.pid
[ -s "$pidfile" ] || exit 0
pid=$(cat "$pidfile"); kill "$pid" 2>/dev/null
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || {{ echo stopped > {self.work}/instances/$BERTH_FLEET_INSTANCE/workload.stopped; exit 0; }}; sleep 0.1; done
exit 1
""")
        for name in ("mkfs.ext4", "systemctl"):
            os.chmod(os.path.join(self.shim, name), 0o755)

    # -- setup of the account: the example stack (examples/aws/berth-fleet.yaml) on moto's CloudFormation
    def deploy(self):
        self.zones = [f"{REGION}{z}" for z in "abcdef"[:self.args.zones]]
        clients = {"cloudformation": client("cloudformation", self.endpoint, *self.admin), "ec2": self.ec2,
                   "autoscaling": self.asg, "iam": self.iam, "s3": self.s3, "kms": self.kms}
        stack = "berth-fleet-" + uuid.uuid4().hex[:8]
        resources, outputs = example_stack.deploy(clients, stack, self.zones, self.args.instances, CLUSTER)
        self.bucket = resources["ClaimBucket"]
        self.key_arn = outputs["BackupKeyArn"]
        self.group = resources["Group"]
        # the stack's group is fixed at its size; a refresh here launches the replacements before the old ones go
        self.asg.update_auto_scaling_group(AutoScalingGroupName=self.group, MinSize=0, MaxSize=self.args.instances * 3)
        # moto 5.2.1 ignores the template's LifecycleHookSpecificationList: the same hook, put by hand
        self.asg.put_lifecycle_hook(LifecycleHookName=HOOK, AutoScalingGroupName=self.group,
                                    LifecycleTransition="autoscaling:EC2_INSTANCE_TERMINATING",
                                    HeartbeatTimeout=300, DefaultResult="CONTINUE")
        log(f"deployed examples/aws/berth-fleet.yaml as stack {stack} on moto's CloudFormation: bucket {self.bucket},"
            f" KMS key {self.key_arn}, group {self.group} of {self.args.instances} over {', '.join(self.zones)},"
            f" launch template {resources['LaunchTemplate']}, role {resources['InstanceRole']}, hook {HOOK}")

    def group_instances(self):
        g = self.asg.describe_auto_scaling_groups(AutoScalingGroupNames=[self.group])["AutoScalingGroups"][0]
        return {i["InstanceId"]: i["AvailabilityZone"] for i in g["Instances"]}

    def config_text(self, inst, cluster=CLUSTER, prefix="claims", capacity=None, size=VOLUME_GIB):
        d = self.instances[inst]
        return f"""cluster: {cluster}
provider: aws
store: "s3://{self.bucket}/{prefix}?region={REGION}&endpoint={self.endpoint}&pathStyle=true"
envFile: {d['dir']}/berth-{cluster}.env
whenFull: wait
crossZone: never
{'capacity: %d' % capacity if capacity else ''}
providerSettings:
  region: {REGION}
  endpoint: {self.endpoint}
  imdsEndpoint: {d['imds'].endpoint}
  lifecycleHook: {HOOK}
volume:
  sizeGiB: {size}
  type: gp3
  encrypted: true
  filesystem: ext4
  mkfsArgs: ["-m", "0"]
  mountPoint: {d['dir']}/data-{cluster}
  mountOptions: [noatime]
identity:
  kind: avalanche
  dir: staking
  policy: auto
keys:
  provider: kms
  settings:
    keyId: {self.key_arn}
    region: {REGION}
    endpoint: {self.endpoint}
devices:
  provider: linux
  settings:
    devRoot: {d['dir']}/dev
    byIdDir: {d['byid']}
    toolPath: {self.shim}
waits:
  pollSeconds: 1
  fullSeconds: 60
  holderSeconds: 60
  # the device bridge is a poll loop in Python: at load 20 on 2 cores it needed more than 30 s
  attachSeconds: 120
  deviceSeconds: 120
  maxCallAttempts: 3
"""

    def add_instance(self, inst, zone):
        d = os.path.join(self.work, "instances", inst)
        os.makedirs(os.path.join(d, "dev", "disk", "by-id"), exist_ok=True)
        self.instances[inst] = {"zone": zone, "imds": Imds(inst, zone, self.group), "dir": d,
                                "byid": os.path.join(d, "dev", "disk", "by-id"), "runs": []}
        return self.instances[inst]

    def write_config(self, inst, **kw):
        path = os.path.join(self.instances[inst]["dir"], "berth-%s.yaml" % kw.get("cluster", CLUSTER))
        with open(path, "w") as f:
            f.write(self.config_text(inst, **kw))
        return path

    def berth_env(self, inst, creds):
        return {"PATH": f"{self.shim}:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": self.work,
                "AWS_ACCESS_KEY_ID": creds[0], "AWS_SECRET_ACCESS_KEY": creds[1],
                "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": os.path.join(self.work, "no-aws-config"),
                "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.work, "no-aws-credentials"),
                "BERTH_FLEET_INSTANCE": inst}

    def start_berth(self, inst, creds, command, config, tag):
        d = self.instances[inst]["dir"]
        out, err = os.path.join(d, f"{tag}.out"), os.path.join(d, f"{tag}.err")
        return subprocess.Popen([os.path.join(self.image, "bin", "berth"), *command, "--config", config],
                                stdout=open(out, "w"), stderr=open(err, "w"), env=self.berth_env(inst, creds),
                                cwd=d), out, err

    def claim(self, inst, creds, tag, config=None):
        config = config or self.write_config(inst)
        proc, out, err = self.start_berth(inst, creds, ["claim", "--json"], config, tag)
        return proc, out, err

    @staticmethod
    def result(proc, out, err, timeout=600):
        # a bound against a hung process, not a goal: on a busy 2-core machine (load 25) a claim that makes ext4
        # took more than 150 s, so a tight bound here failed healthy runs
        try:
            code = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
        text = open(out).read().strip()
        last = text.splitlines()[-1] if text else ""
        try:
            parsed = json.loads(last) if last.startswith("{") else None
        except ValueError:
            parsed = None
        return code, parsed, open(err).read()

    def start_workload(self, inst, mount):
        d = self.instances[inst]["dir"]
        proc = subprocess.Popen(["sleep", "100000"], cwd=mount)  # holds the mount busy, as avalanchego would
        threading.Thread(target=proc.wait, daemon=True).start()  # reaped at once, so `systemctl stop` sees it gone
        with open(os.path.join(d, "workload.pid"), "w") as f:
            f.write(str(proc.pid))
        self.instances[inst]["workload"] = proc

    def terminate(self, inst):
        """Auto Scaling terminates the instance (and launches a replacement): the machine and its mounts are gone."""
        d = self.instances[inst]
        if d.get("workload") and d["workload"].poll() is None:
            d["workload"].kill()
        for line in subprocess.run(["findmnt", "-rn", "-o", "TARGET"], capture_output=True, text=True).stdout.split():
            if line.startswith(d["dir"] + "/"):
                subprocess.run(["umount", "-l", line], capture_output=True)
        self.asg.terminate_instance_in_auto_scaling_group(InstanceId=inst, ShouldDecrementDesiredCapacity=False)

    def cluster_volumes(self, cluster=CLUSTER):
        vols = self.ec2.describe_volumes(Filters=[{"Name": "tag:berth:cluster", "Values": [cluster]}])["Volumes"]
        return vols

    def mkfs_count(self):
        counts = {}
        for line in open(self.mkfs_log).read().split():
            counts[line] = counts.get(line, 0) + 1
        return counts

    def close(self):
        for d in self.instances.values():
            d["imds"].close()
            if d.get("workload") and d["workload"].poll() is None:
                d["workload"].kill()


# ---------------------------------------------------------------- scenarios

def mounted_fs(mount):
    r = subprocess.run(["findmnt", "-n", "-o", "FSTYPE", "--mountpoint", mount], capture_output=True, text=True)
    return r.stdout.strip()


def boot(w, creds, summary):
    # moto launches a group's instances into one subnet: their IMDS gives each the zone Auto Scaling's balancing would
    members = {inst: w.zones[n % len(w.zones)] for n, inst in enumerate(sorted(w.group_instances()))}
    for inst, zone in members.items():
        w.add_instance(inst, zone)
    log(f"boot: {len(members)} instances booting at once: " + ", ".join(f"{i} ({z})" for i, z in members.items()))
    runs = {inst: w.claim(inst, creds, "boot") for inst in members}
    held = {}
    for inst, run in runs.items():
        code, res, err = w.result(*run)
        if not w.v.check(code == 0 and res and res.get("outcome") == "claimed",
                         f"boot: {inst} exit {code}: {res} {err[-2000:]}"):
            continue
        w.instances[inst]["lease"] = res
        held[inst] = res
        fs = mounted_fs(res["dataDir"])
        env_file = os.path.join(w.instances[inst]["dir"], f"berth-{CLUSTER}.env")
        log(f"boot: {inst} claimed slot {res['slot']} at epoch {res['epoch']}: {res['volumeId']}, {fs} on "
            f"{res['dataDir']}, {res['nodeId']}")
        w.v.check(fs == "ext4", f"boot: {inst}'s data dir is not an ext4 mount ({fs!r})")
        w.v.check(os.path.isfile(env_file), f"boot: {inst} has no env file {env_file}")
        w.start_workload(inst, res["dataDir"])
    vols = w.cluster_volumes()
    summary.update(instances=len(members), slotsHeld=len({r["slot"] for r in held.values()}), volumes=len(vols),
                   filesystemsMade=sum(w.mkfs_count().values()),
                   identities=len({r["nodeId"] for r in held.values() if r.get("nodeId")}),
                   envFiles=sum(os.path.isfile(os.path.join(w.instances[i]["dir"], f"berth-{CLUSTER}.env"))
                                for i in held))
    w.v.check(summary["slotsHeld"] == len(members) == summary["volumes"] == summary["filesystemsMade"]
              == summary["identities"] == summary["envFiles"], f"boot: not one of each per instance: {summary}")
    return held


def start_keepers(w, creds, insts):
    keepers = {}
    for inst in insts:
        config = os.path.join(w.instances[inst]["dir"], f"berth-{CLUSTER}.yaml")
        keepers[inst] = w.start_berth(inst, creds, ["keeper", "--poll-seconds", "1", "--workload-unit",
                                                    "avalanchego.service"], config, "keeper")
    return keepers


def refresh(w, creds, held, summary):
    old = list(held)
    keepers = start_keepers(w, creds, old)
    volumes_before = {v["VolumeId"] for v in w.cluster_volumes()}
    batch = max(1, len(old) // 2)  # MinHealthyPercentage 50: half the group at a time
    replaced, hook_reported = {}, 0
    for start in range(0, len(old), batch):
        group = old[start:start + batch]
        log(f"refresh: batch {start // batch + 1}: Auto Scaling sets Terminating:Wait on {', '.join(group)}")
        for inst in group:
            w.instances[inst]["imds"].values["meta-data/autoscaling/target-lifecycle-state"] = "Terminated"
        for inst in group:
            proc, out, err = keepers[inst]
            code, _, errtext = w.result(proc, out, err)
            outtext = open(out).read().strip()
            stopped = os.path.exists(os.path.join(w.instances[inst]["dir"], "workload.stopped"))
            if "lifecycle" in errtext.lower() and ("500" in errtext or "fail" in errtext.lower()):
                hook_reported += 1
            log(f"refresh: {inst} keeper exit {code}: {outtext}; workload stopped: {stopped}")
            w.v.check(code == 0 and outtext.startswith("released slot"), f"refresh: keeper of {inst}: exit {code} "
                      f"{outtext} {errtext[-1500:]}")
            w.v.check(stopped, f"refresh: keeper of {inst} did not stop the workload first")
            w.v.check(mounted_fs(held[inst]["dataDir"]) == "", f"refresh: {inst}'s volume is still mounted")
        before = set(w.group_instances())
        for inst in group:
            w.terminate(inst)
        after = w.group_instances()
        # Auto Scaling rebalances: each replacement lands in the zone an instance of the batch left
        new = dict(zip(sorted(i for i in after if i not in before), [w.instances[o]["zone"] for o in group]))
        log(f"refresh: terminated {', '.join(group)}; replacements " + ", ".join(f"{i} ({z})" for i, z in new.items()))
        runs = {}
        for inst, zone in new.items():
            w.add_instance(inst, zone)
            runs[inst] = w.claim(inst, creds, "boot")
        for inst, run in runs.items():
            code, res, err = w.result(*run)
            if not w.v.check(code == 0 and res and res.get("outcome") == "claimed",
                             f"refresh: replacement {inst} exit {code}: {res} {err[-2000:]}"):
                continue
            prev = [held[o] for o in group if held[o]["slot"] == res["slot"]]
            log(f"refresh: {inst} took slot {res['slot']} at epoch {res['epoch']}: {res['volumeId']}, {res['nodeId']}")
            w.v.check(bool(prev), f"refresh: {inst} took slot {res['slot']}, not one of its batch's")
            if prev:
                p = prev[0]
                w.v.check(res["volumeId"] == p["volumeId"] and res["nodeId"] == p["nodeId"]
                          and res["epoch"] > p["epoch"], f"refresh: {inst} on slot {res['slot']}: {res} after {p}")
            w.instances[inst]["lease"] = res
            replaced[inst] = res
            w.start_workload(inst, res["dataDir"])
    created = {v["VolumeId"] for v in w.cluster_volumes()} - volumes_before
    summary.update(refreshed=len(replaced), volumesCreatedByRefresh=len(created), hookFailuresReported=hook_reported)
    w.v.check(len(replaced) == len(old), f"refresh: {len(replaced)} of {len(old)} instances replaced")
    w.v.check(not created, f"refresh: created volumes {created}")
    return replaced


def wait_for(predicate, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def crash(w, creds, summary):
    """kill -9 of berth claim during attach, right after mkfs, and once the identity is on the volume, each on a
    new instance of a grown group; then a re-run on the same instance, or on its replacement."""
    moments = ["during-attach", "after-mkfs", "before-final-record"]
    injected = 0
    for n, moment in enumerate(moments):
        before = set(w.group_instances())
        desired = len(before) + 1
        w.asg.set_desired_capacity(AutoScalingGroupName=w.group, DesiredCapacity=desired)
        inst, = [i for i in w.group_instances() if i not in before]
        zone = w.zones[n % len(w.zones)]
        w.add_instance(inst, zone)
        config = w.write_config(inst)
        if moment == "during-attach":
            w.bridge.held_back.add(inst)
        if moment == "after-mkfs":
            open(os.path.join(w.work, f"crash-after-mkfs.{inst}"), "w").close()
        proc, out, err = w.claim(inst, creds, f"crash{n}", config)
        if moment == "during-attach":
            hit = wait_for(lambda: inst in w.bridge.seen_attach or proc.poll() is not None, 60)
            proc.kill() if proc.poll() is None else None
        elif moment == "before-final-record":
            # the whole identity is on the volume (the backup upload and the final compare-and-set come next)
            staking = os.path.join(w.instances[inst]["dir"], f"data-{CLUSTER}", "staking")
            files = [os.path.join(staking, f) for f in ("staker.crt", "staker.key", "signer.key")]
            wait_for(lambda: all(os.path.isfile(f) for f in files) or proc.poll() is not None, 90)
            proc.kill() if proc.poll() is None else None
            with open(files[0], "rb") as f:
                written_cert = f.read()
        code = proc.wait(120)
        landed = code == -9
        injected += landed
        log(f"crash: {moment} on {inst} ({zone}): berth claim {'killed (-9)' if landed else f'exited {code} first'}")
        w.v.check(landed, f"crash: the kill {moment} on {inst} did not land: {open(err).read()[-1500:]}")
        w.bridge.held_back.discard(inst)
        if n % 2 == 0:
            target = inst  # re-run on the same instance
        else:
            # the crashed instance dies; its slot goes to its replacement (the volume is detached from the dead one)
            before = set(w.group_instances())
            w.terminate(inst)
            target, = [i for i in w.group_instances() if i not in before]
            w.add_instance(target, zone)
        code, res, errtext = w.result(*w.claim(target, creds, f"rerun{n}"))
        log(f"crash: re-run on {target}{' (same instance)' if target == inst else ' (its replacement)'}: exit {code}: "
            + (f"{res['outcome']} slot {res['slot']} at epoch {res['epoch']}: {res['volumeId']}, {res['nodeId']}"
               if res and res.get("slot", -1) >= 0 else errtext[-500:]))
        w.v.check(code == 0 and res and res.get("slot", -1) >= 0, f"crash: re-run on {target} after {moment}: exit "
                  f"{code} {res} {errtext[-2000:]}")
        if res and res.get("dataDir"):
            w.instances[target]["lease"] = res
        if moment == "before-final-record" and res and res.get("dataDir"):
            with open(os.path.join(res["dataDir"], "staking", "staker.crt"), "rb") as f:
                same = f.read() == written_cert
            w.v.check(same and "generated avalanche identity" not in errtext,
                      f"crash: the re-run on {target} made a second identity for slot {res['slot']}")
            log(f"crash: the identity written before the kill is the one in use: {same}")
    by_slot = {}
    for v in w.cluster_volumes():
        tags = {t["Key"]: t["Value"] for t in v.get("Tags", [])}
        by_slot.setdefault(tags.get("berth:slot"), []).append(v["VolumeId"])
    second_volumes = sum(len(v) - 1 for v in by_slot.values())
    second_mkfs = sum(c - 1 for c in w.mkfs_count().values() if c > 1)
    summary.update(crashesInjected=injected, secondVolumes=second_volumes, secondMkfs=second_mkfs)
    w.v.check(second_volumes == 0, f"crash: slots with a second volume: {by_slot}")
    w.v.check(second_mkfs == 0, f"crash: devices made twice: {w.mkfs_count()}")


def identities_check(w, summary):
    """Every slot has one NodeID for its whole life; no two live instances hold one slot."""
    live = set(w.group_instances())
    slot_ids, holders = {}, {}
    for inst, d in w.instances.items():
        lease = d.get("lease")
        if not lease or lease.get("slot", -1) < 0:
            continue
        slot_ids.setdefault(lease["slot"], set()).add(lease.get("nodeId"))
        if inst in live:
            holders.setdefault(lease["slot"], []).append(inst)
    double = sum(1 for h in holders.values() if len(h) > 1)
    summary.update(doubleHolders=double, secondIdentities=sum(len(s) - 1 for s in slot_ids.values()))
    w.v.check(double == 0, f"slots held by two live instances: {holders}")
    w.v.check(summary["secondIdentities"] == 0, f"slots with two identities: {slot_ids}")


# ---------------------------------------------------------------- least privilege

def action_mentioned(action, text):
    short = action.split(":", 1)[1]
    return action in text or re.search(r"\b" + re.escape(short) + r"\b", text) is not None


# EC2 checks tag-on-create as part of CreateVolume's request; moto checks only the request's own action
NOT_CHECKED_BY_MOTO = {"ec2:CreateTags": "moto authorizes CreateVolume's TagSpecifications as ec2:CreateVolume only"}
# the day-2 actions are proven by the day-2 steps that use them: a re-claim with a raised volume.sizeGiB grows the
# volume (ec2:ModifyVolume); berth status, with the operator's policy, reads each slot volume's modification
# (ec2:DescribeVolumesModifications, which a claim asks while a grow is under way; moto's grows complete at once)
STEPS_OF = {"ec2:ModifyVolume": ("claim", "grow"), "ec2:DescribeVolumesModifications": ("claim", "status")}


def least_privilege(w, policy, summary):
    """For every action of the policy: a claim, a keeper release and a re-claim that restores the identity from its
    backup, with that action alone removed from the policy, fail and name the action."""
    actions = policy_actions(policy)
    proven, unproven = [], {}
    hosts = [i for i in w.group_instances() if i in w.instances]

    locks = {h: threading.Lock() for h in hosts}

    def probe(n, action, inst):
        with locks[inst]:
            return probe_on(n, action, inst)

    def probe_on(n, action, inst):
        cluster = f"lp{n:02d}"
        imds = w.instances[inst]["imds"].values
        group_tag = "meta-data/tags/instance/aws:autoscaling:groupName"
        if action == "autoscaling:DescribeAutoScalingInstances":
            imds.pop(group_tag)  # instance tags off in the metadata options: berth asks Auto Scaling for the group
        # its own cluster and store prefix (one new slot); garbage collection on, so DeleteObject is used
        config = w.write_config(inst, cluster=cluster, prefix=cluster, capacity=1)
        with open(config, "a") as f:
            f.write("storeSettings:\n  gcKeep: 2\n  gcGraceSeconds: 0\n")
        # berth status is an operator's command: it runs with `iam-policy --operator` (the instance's policy and
        # the describes of snapshots it lists), less the one action
        operator = ["--operator"] if "status" in STEPS_OF.get(action, ()) else []
        text = subprocess.run([os.path.join(w.image, "bin", "berth"), "iam-policy", "--config", config, *operator],
                              capture_output=True, text=True, check=True).stdout
        lacking = role_user(w.iam, f"berth-without-{n:02d}", without_action(moto_view(json.loads(text)), action))
        said = ""
        steps = []
        for step in STEPS_OF.get(action, ("claim", "keeper", "reclaim")):
            if step == "grow":
                grown = w.write_config(inst, cluster=cluster, prefix=cluster, capacity=1, size=VOLUME_GIB + 1)
                proc, out, err = w.claim(inst, lacking, f"{cluster}-grow", grown)
            elif step == "status":
                proc, out, err = w.start_berth(inst, lacking, ["status"], config, f"{cluster}-status")
            elif step == "keeper":
                # the identity is lost from the volume: the re-claim must restore it from the backup (kms:Decrypt)
                shutil.rmtree(os.path.join(w.instances[inst]["dir"], f"data-{cluster}", "staking"), ignore_errors=True)
                imds["meta-data/autoscaling/target-lifecycle-state"] = "Terminated"
                proc, out, err = w.start_berth(inst, lacking, ["keeper", "--poll-seconds", "1"], config,
                                               f"{cluster}-keeper")
            else:
                imds["meta-data/autoscaling/target-lifecycle-state"] = "InService"
                proc, out, err = w.claim(inst, lacking, f"{cluster}-{step}", config)
            code, _, errtext = w.result(proc, out, err)
            said += errtext + open(out).read()
            steps.append(f"{step} exit {code}")
            if code != 0 or action_mentioned(action, errtext):
                break
        imds["meta-data/autoscaling/target-lifecycle-state"] = "InService"
        imds[group_tag] = w.group
        named = action_mentioned(action, said)
        line = next((l for l in said.splitlines() if action_mentioned(action, l)), said.strip().splitlines()[-1:] or "")
        return named, ", ".join(steps) + f": {str(line)[:300]}"

    with ThreadPoolExecutor(max_workers=min(len(hosts), 4)) as pool:
        futures = {action: pool.submit(probe, n, action, hosts[n % len(hosts)]) for n, action in enumerate(actions)
                   if action not in NOT_CHECKED_BY_MOTO and len(hosts) > 0}
        for action in actions:
            if action in NOT_CHECKED_BY_MOTO:
                log(f"least-privilege: without {action}: not checkable on moto ({NOT_CHECKED_BY_MOTO[action]})")
                continue
            ok, how = futures[action].result()
            log(f"least-privilege: without {action}: {'fails naming it' if ok else 'NOT proven'} ({how})")
            (proven.append(action) if ok else unproven.__setitem__(action, how))
    summary.update(iamPolicyActions=len(actions), iamActionsProvenNeeded=len(proven),
                   iamActionsNotProvable=len(NOT_CHECKED_BY_MOTO.keys() & set(actions)),
                   iamActionsNotProven=sorted(unproven))
    w.v.check(not unproven, f"least-privilege: actions not proven needed: {sorted(unproven)}")
    return unproven


# ---------------------------------------------------------------- main

def main():
    p = argparse.ArgumentParser(description="berth's fleet in a box (run it through scripts/fleet.sh)")
    p.add_argument("--instances", type=int, default=6)
    p.add_argument("--zones", type=int, default=3)
    p.add_argument("--json", action="store_true")
    p.add_argument("--work", required=True)
    p.add_argument("--image", required=True)
    p.add_argument("--scenarios", default="boot,refresh,crash,least-privilege")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    if not 1 <= args.zones <= 6 or args.instances < args.zones:
        print("fleet: --zones must be 1 to 6 and --instances at least --zones", file=sys.stderr)
        return 2
    random.seed(args.seed)
    scenarios = args.scenarios.split(",")
    started = time.time()
    summary = {}
    w = World(args, args.work, args.image)
    try:
        w.deploy()
        probe_inst = "i-policy"
        w.add_instance(probe_inst, w.zones[0])
        text = subprocess.run([os.path.join(args.image, "bin", "berth"), "iam-policy", "--config",
                               w.write_config(probe_inst)], capture_output=True, text=True, check=True).stdout
        del w.instances[probe_inst]
        policy = json.loads(text)
        creds = role_user(w.iam, "berth-instance-role", moto_view(policy))
        summary["iamPolicyEnforced"] = True
        log(f"instance role: an IAM user whose only policy is `berth iam-policy` ({len(policy_actions(policy))} "
            f"actions: {', '.join(policy_actions(policy))})")
        w.bridge = Bridge(args.work, w.ec2, w.instances)
        held = boot(w, creds, summary)
        if "refresh" in scenarios and held:
            refresh(w, creds, held, summary)
        if "crash" in scenarios:
            crash(w, creds, summary)
        identities_check(w, summary)
        if "least-privilege" in scenarios:
            least_privilege(w, policy, summary)
        w.v.check(not w.bridge.errors, f"device bridge errors: {w.bridge.errors[:3]}")
    finally:
        if hasattr(w, "bridge"):
            w.bridge.close()
        w.close()
    summary["violations"] = len(w.v.items)
    summary["violationList"] = w.v.items
    summary["seconds"] = round(time.time() - started, 1)
    log(f"summary: {json.dumps(summary)}")
    if args.json:
        print(json.dumps(summary))
    else:
        for k, v in summary.items():
            print(f"{k:26} {v}")
    return 0 if not w.v.items else 1


if __name__ == "__main__":
    sys.exit(main())
