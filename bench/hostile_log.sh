#!/usr/bin/env bash
# A console log far larger than memory should be read in flat memory: builds
# logs of the given sizes (default 100 MB and 1 GB) from the fixture's whole
# console logs mixed with hostile pieces — a 1 MB line, runs of binary
# garbage and NUL bytes, a report cut in the middle — classifies each with
# --format json, and prints the reports read, errors named, seconds and peak
# RSS (/usr/bin/time). Peak RSS must not grow with the log. Every log is
# written into a fresh mktemp -d directory and deleted.
#
# usage: bench/hostile_log.sh [BUILD_DIR] [MB...]      (default: build 100 1024)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1024)
shared=${KT_SHARED_DIR:-$root/../shared}
bin=$build/kcsan-triage
[ -x "$bin" ] || { echo "no $bin: build first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
logs=("$shared"/fixtures/kcsan-6.1/logs/*.log.xz)
[ -f "${logs[0]}" ] || { echo "no console logs in $shared/fixtures/kcsan-6.1/logs" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One unit: the five whole console logs, then the hostile pieces.
{
  for f in "${logs[@]}"; do xz -dc "$f"; done
  printf "[  200.000000] a line of 1 MB follows\n"
  head -c 1048576 /dev/zero | tr '\0' 'x'; printf '\n'
  head -c 65536 /dev/urandom
  printf '\n'
  head -c 4096 /dev/zero
  printf '\n'
  # the first report of a log, cut in its second stack
  xz -dc "${logs[0]}" | awk '/BUG: KCSAN/ { on = 1 } on { print; if (++n == 14) exit }'
  printf '[  300.000000] random: crng init done\n'
} > "$tmp/unit.log"
unit_bytes=$(stat -c %s "$tmp/unit.log")

printf '%-8s %-9s %-9s %-9s %-12s\n' log_MB reports errors seconds peak_RSS_MB
for mb in "${sizes[@]}"; do
  want=$((mb * 1024 * 1024))
  reps=$(( (want + unit_bytes - 1) / unit_bytes ))
  for ((i = 0; i < reps; i++)); do cat "$tmp/unit.log"; done > "$tmp/log"
  { /usr/bin/time -f '%e %M' -o "$tmp/t" "$bin" --format json "$tmp/log" 2>"$tmp/err" || true; } |
    wc -l > "$tmp/n"
  read -r secs kb < <(tail -n 1 "$tmp/t")
  printf '%-8s %-9s %-9s %-9s %-12s\n' "$(( $(stat -c %s "$tmp/log") / 1048576 ))" \
    "$(cat "$tmp/n")" "$(grep -c . "$tmp/err" || true)" "$secs" "$(( kb / 1024 ))"
  rm -f "$tmp/log" "$tmp/err"
done
