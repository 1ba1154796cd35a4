#!/usr/bin/env bash
# Runs every test of berth: installs the Debian tools the tests use when they are missing (as root),
# starts the real servers the store tests race against (scripts/servers.sh), runs `mvn verify`, and
# stops the servers by PID and cleans up loop devices whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
[[ -x $JAVA_HOME/bin/javac ]] || { echo "test.sh: JDK 25 not found at $JAVA_HOME: install Temurin 25 or set JAVA_HOME_25" >&2; exit 2; }
export PATH=$JAVA_HOME/bin:$PATH

need=()
for tool in mkfs.ext4:e2fsprogs mkfs.xfs:xfsprogs mkfs.btrfs:btrfs-progs sfdisk:fdisk losetup:mount etcd:etcd-server etcdctl:etcd-client promtool:prometheus; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || need+=("${tool#*:}")
done
if ((${#need[@]})); then
  if [[ $(id -u) == 0 ]]; then
    echo "test.sh: installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "test.sh: missing ${need[*]} (not root: the tests that need them will say so)" >&2
  fi
fi

servers=$(mktemp -d /tmp/berth-servers.XXXXXX)
cleanup() {
  local status=$?
  if [[ -f scripts/servers.sh ]]; then bash scripts/servers.sh stop "$servers" || true; fi
  # loop devices the filesystem tests may have left behind if the JVM was killed
  if command -v losetup >/dev/null 2>&1; then
    { losetup -a 2>/dev/null | grep -E '/tmp/junit|berth-loop|berth-fleet' | cut -d: -f1 | while read -r dev; do
        umount "$dev" 2>/dev/null || true; losetup -d "$dev" 2>/dev/null || true
      done; } || true
  fi
  rm -rf "$servers"
  exit $status
}
trap cleanup EXIT
if [[ -f scripts/servers.sh ]]; then
  bash scripts/servers.sh start "$servers"
  # shellcheck disable=SC1091
  source "$servers/servers.env"
fi

mvn -B -ntp ${BERTH_MVN_ARGS:-} verify "$@"
