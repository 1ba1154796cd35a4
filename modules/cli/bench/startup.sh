#!/usr/bin/env bash
# Start-up of two built images side by side (BENCHMARKS.md, "Start-up: berth --version, --help, store check"):
#   bash modules/cli/bench/startup.sh IMAGE_A IMAGE_B ROUNDS [ETCD_ENDPOINT]
# Rounds of A then B, one after the other; each runs runtime/bin/java -version, berth --version, berth --help and,
# with ETCD_ENDPOINT (host:port), berth store check on a fresh file store and on a fresh etcd prefix.
# Prints the medians of wall and CPU (user+sys) seconds and of peak RSS per image and command.
set -u
A=$1 B=$2 rounds=${3:-5} etcd=${4:-}
out=$(mktemp) err=$(mktemp) said=$(mktemp) scratch=$(mktemp -d)
one() {   # label image command...; store check's own figure (its probes, "(N ms)") becomes a 7th column
  local label=$1 img=$2; shift 2
  /usr/bin/time -o "$err" -f "%e %U %S %M" "$@" >"$said" 2>&1 || echo "FAILED: $label $*" >&2
  echo "$img $label $(tail -1 "$err") $(grep -o '([0-9]* ms)' "$said" | tr -dc '0-9')" >>"$out"
}
for ((i = 1; i <= rounds; i++)); do
  for img in A B; do
    d=${!img}
    one java $img "$d/runtime/bin/java" -version
    one version $img "$d/bin/berth" --version
    one help $img "$d/bin/berth" --help
    if [ -n "$etcd" ]; then
      one check-file $img "$d/bin/berth" store check --store "file://$scratch/fs-$img-$i"
      one check-etcd $img "$d/bin/berth" store check --store "etcd://$etcd/bench-$$-$img-$i"
    fi
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for what in java version help check-file check-etcd; do
  for img in A B; do
    grep -q "^$img $what " "$out" || continue
    wall=$(awk -v i=$img -v w=$what '$1==i && $2==w {print $3}' "$out" | median)
    cpu=$(awk -v i=$img -v w=$what '$1==i && $2==w {print $4+$5}' "$out" | median)
    rss=$(awk -v i=$img -v w=$what '$1==i && $2==w {print $6}' "$out" | median)
    probes=$(awk -v i=$img -v w=$what '$1==i && $2==w {print $7}' "$out" | median)
    printf '%s %-10s wall %.2f s  cpu %.2f s  rss %.1f MB%s  (%d runs)\n' $img $what "$wall" "$cpu" "$(echo "$rss/1024" | bc -l)" \
      "${probes:+  probes $probes ms}" "$(grep -c "^$img $what " "$out")"
  done
done
echo "raw: $out" >&2
rm -rf "$scratch"
