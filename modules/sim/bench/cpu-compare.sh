#!/usr/bin/env bash
# Like compare.sh's speed half, but per second of the process's CPU time: on a machine shared with
# other builds the wall-clock figure swings by 2-5x from one minute to the next, the CPU-time figure
# by about 10-20%. Each tree's core and sim jars (built with mvn -B -ntp -q -pl modules/cli -am package
# -DskipTests) run CpuBench.java on core 0, the trees alternately, ROUNDS times; then the medians.
# WARMUP: seconds of warm-up before the measured runs (4; 30 measures the JIT-compiled steady state).
# usage: modules/sim/bench/cpu-compare.sh OLD_TREE NEW_TREE [ROUNDS] [RUNS] [WARMUP]
set -euo pipefail
old=$1 new=$2 rounds=${3:-5} runs=${4:-300} warmup=${5:-4}
java=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
m2=${M2_REPO:-$HOME/.m2/repository}
here=$(cd "$(dirname "$0")" && pwd)
bench() {
  local tree=$1 mp
  mp=$(ls "$tree"/spi/target/berth-spi-*.jar "$tree"/modules/core/target/berth-core-*-SNAPSHOT.jar \
          "$tree"/modules/sim/target/berth-sim-*-SNAPSHOT.jar | grep -v tests | tr '\n' ':')
  mp="$mp$m2/io/avaje/avaje-jsonb/3.11/avaje-jsonb-3.11.jar:$m2/io/avaje/avaje-json-core/3.11/avaje-json-core-3.11.jar"
  taskset -c 0 "$java" -p "$mp" --add-modules dev.berth.sim "$here/CpuBench.java" "$runs" "$warmup"
}
a=() b=()
for i in $(seq "$rounds"); do
  line=$(bench "$old"); echo "$old: $line"; a+=("$(sed 's/.*wall: \([0-9]*\) SPI calls per CPU.*/\1/' <<<"$line")")
  line=$(bench "$new"); echo "$new: $line"; b+=("$(sed 's/.*wall: \([0-9]*\) SPI calls per CPU.*/\1/' <<<"$line")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
ma=$(median "${a[@]}") mb=$(median "${b[@]}")
echo "median SPI calls per CPU second: $old $ma, $new $mb, ratio $(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.2f", b/a}')x"
