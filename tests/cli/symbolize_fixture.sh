#!/usr/bin/env bash
# kcsan-triage --symbolize on a fixture's raw reports gives, byte for byte,
# the symbolized copies (syzbot's layout, made with binutils addr2line),
# through the whole command line.
# Usage: symbolize_fixture.sh BIN SHARED_DIR WORK_DIR [FIXTURE [BUILD_DIR]]
# FIXTURE: kcsan-6.1 (default) or kcsan-6.12-clang; its vmlinux is unpacked
# once into BUILD_DIR (default WORK_DIR) as FIXTURE-vmlinux.
set -u
bin=$1 shared=$2 work=$3 name=${4:-kcsan-6.1} build=${5:-$3}
fix="$shared/fixtures/$name"
[ -f "$fix/vmlinux.xz" ] || { echo "SKIP: $fix/vmlinux.xz absent (the shared fixtures are not here)"; exit 77; }
command -v xz >/dev/null || { echo "SKIP: xz not installed"; exit 77; }
mkdir -p "$work" "$build"
vml="$build/$name-vmlinux"
if [ ! -s "$vml" ] || [ "$fix/vmlinux.xz" -nt "$vml" ]; then
  part=$(mktemp "$vml.XXXXXX") &&
    xz -dc "$fix/vmlinux.xz" > "$part" && mv "$part" "$vml" || { rm -f "$part"; echo "FAIL: unpack"; exit 1; }
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
echo "symbolize $name: $same of $n raw fixture reports byte-identical to the symbolized copies"
[ "$n" -gt 0 ] && [ "$same" = "$n" ] && echo "symbolize: 1 passed, 0 failed" || { echo "symbolize: 0 passed, 1 failed"; exit 1; }
