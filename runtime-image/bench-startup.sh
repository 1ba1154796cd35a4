#!/usr/bin/env bash
# Start-up A/B of two built images (BENCHMARKS.md, "The image"): bash runtime-image/bench-startup.sh IMAGE_A IMAGE_B [OUT]
# A B A B: $1 = image A (before), $2 = image B (after); 5 rounds; prints medians of wall and user+sys
A=$1 B=$2 out=${3:-/tmp/w3img-bench.txt}; : >"$out"
for i in 1 2 3 4 5; do
  for img in A B; do
    d=${!img}
    /usr/bin/time -f "$img java %e %U %S %M" "$d/runtime/bin/java" -version >/dev/null 2>>"$out.err" ; tail -1 "$out.err" >>"$out"
    /usr/bin/time -f "$img version %e %U %S %M" "$d/bin/berth" --version >/dev/null 2>>"$out.err"; tail -1 "$out.err" >>"$out"
    s=$(mktemp -d)
    /usr/bin/time -f "$img claim %e %U %S %M" "$d/bin/berth" claim --provider sim --cluster demo --store "file://$s/store" \
      --env-file "$s/berth.env" --capacity 3 >/dev/null 2>>"$out.err"; tail -1 "$out.err" >>"$out"
    rm -rf "$s"
  done
done
for img in A B; do for what in java version claim; do
  awk -v i=$img -v w=$what '$1==i && $2==w {print $3, $4+$5, $6}' "$out" | sort -n | awk -v i=$img -v w=$what '{a[NR]=$1} END {printf "%s %-8s wall median %.2f s (runs: %d)\n", i, w, a[int((NR+1)/2)], NR}'
  awk -v i=$img -v w=$what '$1==i && $2==w {print $4+$5}' "$out" | sort -n | awk -v i=$img -v w=$what '{a[NR]=$1} END {printf "%s %-8s cpu  median %.2f s\n", i, w, a[int((NR+1)/2)]}'
  awk -v i=$img -v w=$what '$1==i && $2==w {print $6}' "$out" | sort -n | awk -v i=$img -v w=$what '{a[NR]=$1} END {printf "%s %-8s rss  median %.1f MB\n", i, w, a[int((NR+1)/2)]/1024}'
done; done
