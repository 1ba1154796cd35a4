#!/usr/bin/env bash
# The fleet in a box: the built image (runtime-image/target/berth) boots, refreshes and loses a fleet of
# real `berth claim` and `berth keeper` processes on moto (EC2, Auto Scaling, S3, KMS, IAM enforced), with
# loop devices standing in for EBS volumes and the instance role's policy from `berth iam-policy` only.
#
#   bash scripts/fleet.sh [--instances 6] [--zones 3] [--json] [--scenarios boot,refresh,crash,least-privilege]
#
# As root (loop devices, mkfs, mount). Needs moto 5.2.1 and boto3 in python3, losetup, mkfs.ext4, findmnt.
# Prints a progress line per step on stderr and a summary last (one JSON object with --json); exit 0 when
# every check held, 1 when one did not, 2 on bad input. Loop devices, mounts and processes are cleaned up
# whatever happens. BERTH_IMAGE overrides the image folder; BERTH_FLEET_KEEP=1 keeps the work folder.
set -euo pipefail
cd "$(dirname "$0")/.."
image=${BERTH_IMAGE:-runtime-image/target/berth}
[[ $(id -u) == 0 ]] || { echo "fleet.sh: run as root (loop devices, mkfs and mount)" >&2; exit 2; }
[[ -x $image/bin/berth ]] || { echo "fleet.sh: no image at $image: build it with mvn -DskipTests package" >&2; exit 2; }
for tool in losetup mkfs.ext4 findmnt python3; do
  command -v "$tool" >/dev/null || { echo "fleet.sh: $tool is missing: install it (see scripts/test.sh)" >&2; exit 2; }
done
python3 -c 'import moto, boto3' 2>/dev/null || { echo "fleet.sh: python3 has no moto/boto3: pip install 'moto[server]==5.2.1'" >&2; exit 2; }

work=$(mktemp -d /tmp/berth-fleet.XXXXXX)
driver=
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  # every process the driver started (moto, berth, stand-in workloads) is in its process group
  if [[ -n $driver ]]; then kill -- -"$driver" 2>/dev/null || true; sleep 0.5; kill -9 -- -"$driver" 2>/dev/null || true; fi
  if [[ -f $work/moto.pid ]]; then kill "$(cat "$work/moto.pid")" 2>/dev/null || true; fi
  findmnt -rn -o TARGET | grep "^$work/" | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  if [[ -f $work/loops ]]; then while read -r dev; do losetup -d "$dev" 2>/dev/null || true; done <"$work/loops"; fi
  if [[ ${BERTH_FLEET_KEEP:-} == 1 ]]; then echo "fleet.sh: kept $work" >&2; else rm -rf "$work"; fi
  exit $status
}
trap cleanup EXIT INT TERM
set +e
PYTHONDONTWRITEBYTECODE=1 setsid python3 scripts/fleet.py --work "$work" --image "$(cd "$image" && pwd)" "$@" &
driver=$!
wait $driver
status=$?
set -e
exit $status
