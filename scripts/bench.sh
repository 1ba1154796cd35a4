#!/usr/bin/env bash
# Prints the figures of BENCHMARKS.md on this machine, in one run: the simulator's own counters
# (one core) and claims per second with p50/p99 latency for each claim store side by side.
# Build the image first: mvn -q -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/.."
B=runtime-image/target/berth/bin/berth
[[ -x $B ]] || { echo "bench.sh: build the image first: mvn -q -DskipTests package" >&2; exit 2; }

echo "== simulator: mass boot of 1000 nodes (one core)"
taskset -c 0 "$B" simulate --scenario mass-boot --nodes 1000 --zones 3 --seed 1 2>/dev/null
echo "== simulator throughput (one core)"
taskset -c 0 "$B" simulate --scenario chaos --nodes 10 --zones 3 --seed 1 --benchmark 2>&1 >/dev/null | grep benchmark
taskset -c 0 "$B" simulate --scenario mass-boot --nodes 1000 --zones 3 --seed 1 --benchmark 2>&1 >/dev/null | grep benchmark

servers=$(mktemp -d /tmp/berth-bench.XXXXXX)
trap 'bash scripts/servers.sh stop "$servers" || true; rm -rf "$servers"' EXIT
bash scripts/servers.sh start "$servers" >/dev/null
# shellcheck disable=SC1091
source "$servers/servers.env"
python3 - <<PY
import boto3
for url, key, secret in (("$BERTH_TEST_MOTO", "test", "test"),
                         ("$BERTH_TEST_S3PROXY", "$BERTH_TEST_S3PROXY_ACCESS_KEY", "$BERTH_TEST_S3PROXY_SECRET_KEY")):
    boto3.client("s3", endpoint_url=url, aws_access_key_id=key, aws_secret_access_key=secret,
                 region_name="us-east-1").create_bucket(Bucket="berth-bench")
PY
echo "== claim stores: claims/s and latency, 4 concurrent claimers over 16 slots"
args=(--threads 4 --slots 16)
"$B" store bench --store "file://$servers/file-store" --claims 2000 "${args[@]}" 2>/dev/null
"$B" store bench --store "etcd://${BERTH_TEST_ETCD#http://}/bench" --claims 2000 "${args[@]}" 2>/dev/null | grep -v WARNING
AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
  "$B" store bench --store "s3://berth-bench/moto?region=us-east-1&endpoint=$BERTH_TEST_MOTO&pathStyle=true" --claims 300 "${args[@]}" 2>/dev/null | grep -v SLF4J
AWS_ACCESS_KEY_ID=$BERTH_TEST_S3PROXY_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$BERTH_TEST_S3PROXY_SECRET_KEY \
  "$B" store bench --store "s3://berth-bench/s3proxy?region=us-east-1&endpoint=$BERTH_TEST_S3PROXY&pathStyle=true" --claims 500 "${args[@]}" 2>/dev/null | grep -v SLF4J
