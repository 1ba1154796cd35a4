#!/usr/bin/env bash
# Compares the simulator of two source trees, each already built with
#   mvn -B -ntp -q -pl modules/cli -am package -DskipTests
# (the library jars of the newer trees, prometheus and avaje's plugins, are harmless extras for older ones)
# (e.g. this worktree and `git worktree add /tmp/sim-07 07ddd3b`):
#   1. the same seed gives byte-identical --json on the named scenarios (or says which differ);
#   2. simulated SPI calls per wall second on one core, the trees measured one after the other,
#      ROUNDS times alternately (best of each is printed).
# usage: modules/sim/bench/compare.sh OLD_TREE NEW_TREE [ROUNDS]
set -euo pipefail
old=$1 new=$2 rounds=${3:-2}
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
m2=${M2_REPO:-$HOME/.m2/repository}
berth() {
  local tree=$1; shift
  local mp
  mp=$(ls "$tree"/spi/target/berth-spi-*.jar "$tree"/modules/*/target/berth-*-SNAPSHOT.jar | grep -v tests | tr '\n' ':')
  for jar in io/avaje/avaje-jsonb/3.11/avaje-jsonb-3.11.jar io/avaje/avaje-json-core/3.11/avaje-json-core-3.11.jar \
             io/avaje/avaje-inject/12.4/avaje-inject-12.4.jar io/avaje/avaje-applog/1.2/avaje-applog-1.2.jar \
             info/picocli/picocli/4.7.7/picocli-4.7.7.jar org/snakeyaml/snakeyaml-engine/3.2/snakeyaml-engine-3.2.jar \
             jakarta/inject/jakarta.inject-api/2.0.1/jakarta.inject-api-2.0.1.jar \
             io/prometheus/prometheus-metrics-exposition-textformats/1.10.0/prometheus-metrics-exposition-textformats-1.10.0.jar \
             io/prometheus/prometheus-metrics-model/1.10.0/prometheus-metrics-model-1.10.0.jar \
             io/prometheus/prometheus-metrics-config/1.10.0/prometheus-metrics-config-1.10.0.jar \
             io/avaje/avaje-inject-aop/12.4/avaje-inject-aop-12.4.jar io/avaje/avaje-inject-events/12.4/avaje-inject-events-12.4.jar \
             io/avaje/avaje-jsonb-inject-plugin/3.11/avaje-jsonb-inject-plugin-3.11.jar org/jspecify/jspecify/1.0.0/jspecify-1.0.0.jar; do
    mp="$mp$m2/$jar:"
  done
  "$java" ${JOPTS:-} -p "$mp" -m dev.berth.cli/dev.berth.cli.Main "$@"
}
if [[ ${SKIP_JSON:-0} != 1 ]]; then
  for run in "mass-boot --nodes 200" "instance-refresh --nodes 60" "zone-outage --nodes 60" "scale-in --nodes 30" \
             "chaos --nodes 10" "chaos --nodes 30 --elastic-ip"; do
    for seed in 1 2 3; do
      a=$(berth "$old" simulate --scenario $run --seed $seed --json 2>/dev/null | sha256sum)
      b=$(berth "$new" simulate --scenario $run --seed $seed --json 2>/dev/null | sha256sum)
      [[ $a == "$b" ]] && echo "same json:   $run --seed $seed" || echo "DIFFERENT:   $run --seed $seed"
    done
  done
fi
for i in $(seq "$rounds"); do
  for tree in "$old" "$new"; do
    echo "$tree: $(${NICE:-} taskset -c 0 bash -c "$(declare -f berth); java=$java m2=$m2 berth $tree simulate --scenario chaos --nodes 10 --seed 1 --benchmark" 2>&1 >/dev/null | grep benchmark)"
  done
done
