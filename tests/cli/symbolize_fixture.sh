#!/usr/bin/env bash
# kcsan-triage --symbolize on the fixture's raw reports gives, byte for byte,
# the symbolized copies (syzbot's layout), through the whole command line.
set -u
bin=$1 shared=$2 work=$3
fix="$shared/fixtures/kcsan-6.1"
[ -f "$fix/vmlinux.xz" ] || { echo "SKIP: $fix/vmlinux.xz absent (the shared fixtures are not here)"; exit 77; }
command -v xz >/dev/null || { echo "SKIP: xz not installed"; exit 77; }
mkdir -p "$work"
vml="$work/vmlinux"
if [ ! -s "$vml" ]; then
  xz -dc "$fix/vmlinux.xz" > "$vml.part" && mv "$vml.part" "$vml" || { echo "FAIL: unpack"; exit 1; }
fi
n=0 same=0
for f in "$fix"/reports/raw/*.txt; do
  n=$((n + 1))
  out="$work/$(basename "$f")"
  "$bin" --symbolize --vmlinux "$vml" --cache-dir "$work/cache" "$f" > "$out" 2> "$out.err"
  if cmp -s "$out" "$fix/reports/symbolized/$(basename "$f")"; then
    same=$((same + 1))
  elif [ $((n - same)) -le 2 ]; then
    diff "$out" "$fix/reports/symbolized/$(basename "$f")" | head -5
  fi
done
echo "symbolize: $same of $n raw fixture reports byte-identical to the symbolized copies"
[ "$same" = "$n" ] && echo "symbolize: 1 passed, 0 failed" || { echo "symbolize: 0 passed, 1 failed"; exit 1; }
