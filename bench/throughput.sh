#!/usr/bin/env bash
# Report-only throughput and memory: builds console logs of N reports by
# cycling the fixture and corpus reports, classifies them with --format json,
# and prints reports/s and peak RSS for each size. Memory must stay flat as
# the log grows (the reader streams).
#
# usage: bench/throughput.sh [BUILD_DIR] [N...]     (default: build 10000 100000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
shared=${KT_SHARED_DIR:-$root/../shared}
bin=$build/kcsan-triage
[ -x "$bin" ] || { echo "no $bin: build first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=()
for f in "$shared"/fixtures/kcsan-6.1/reports/raw/*.txt \
         "$shared"/fixtures/kcsan-6.1/reports/symbolized/*.txt \
         "$shared"/corpus/dev/reports/*.txt "$root"/testdata/golden/*.txt; do
  [ -f "$f" ] && files+=("$f")
done
[ ${#files[@]} -gt 0 ] || { echo "no reports found (looked in $shared and testdata/golden)" >&2; exit 2; }
# One "unit" log: every source report once, separated by unrelated kernel output.
for f in "${files[@]}"; do
  cat "$f"; printf '\n[  100.000000] random: crng init done\n'
done > "$tmp/unit.log"
per_unit=$("$bin" --format json "$tmp/unit.log" 2>/dev/null | wc -l)
[ "$per_unit" -gt 0 ] || { echo "the unit log gave no results" >&2; exit 2; }

# reports/s is over wall time; per_cpu_s is over user+system CPU time, which
# is the figure to compare on a loaded machine (one thread: one core).
printf '%-10s %-8s %-9s %-11s %-11s %-12s\n' reports log_MB wall_s reports/s cpu_s per_cpu_s
for n in "${sizes[@]}"; do
  reps=$(( (n + per_unit - 1) / per_unit ))
  : > "$tmp/log"
  for ((i = 0; i < reps; i++)); do cat "$tmp/unit.log"; done > "$tmp/log"
  got=$(( reps * per_unit ))
  mb=$(du -m "$tmp/log" | cut -f1)
  /usr/bin/time -f '%e %U %S %M' -o "$tmp/t" "$bin" --format json "$tmp/log" >/dev/null 2>"$tmp/err" || true
  read -r secs us ss kb < "$tmp/t"
  rate=$(awk -v n="$got" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
  cpu=$(awk -v u="$us" -v s="$ss" 'BEGIN { printf "%.2f", u + s }')
  crate=$(awk -v n="$got" -v c="$cpu" 'BEGIN { printf "%.0f", (c > 0 ? n / c : 0) }')
  printf '%-10s %-8s %-9s %-11s %-11s %-12s peak RSS %d MB\n' "$got" "$mb" "$secs" "$rate" "$cpu" "$crate" "$(( kb / 1024 ))"
done
