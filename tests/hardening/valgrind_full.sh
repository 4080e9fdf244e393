#!/usr/bin/env bash
# One valgrind memcheck run of a full-mode classification (--vmlinux and
# --src) on a few fixture reports: no invalid read or write, no use of
# uninitialised memory, no definite leak. Complements the ASan suite, which
# does not see uninitialised reads and does not run libclang instrumented.
# valgrind.supp names the one known false positive (PCRE2's JIT code).
#
# usage: tests/hardening/valgrind_full.sh KCSAN_TRIAGE [N_REPORTS]
# The fixture's vmlinux and source tree are unpacked beside the binary's build
# (kcsan-6.1-vmlinux, fixture-src: the names the tests use) when absent.
set -euo pipefail
bin=$(realpath "${1:?usage: valgrind_full.sh KCSAN_TRIAGE [N]}")
n=${2:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(dirname "$bin")
fix=${KT_SHARED_DIR:-$root/../shared}/fixtures/kcsan-6.1
command -v valgrind >/dev/null || { echo "valgrind: not installed, skipping"; exit 0; }
[ -f "$fix/vmlinux.xz" ] && [ -x "$fix/unpack-source.sh" ] ||
  { echo "valgrind: the fixture is absent, skipping"; exit 0; }

vml=$build/kcsan-6.1-vmlinux
if [ ! -s "$vml" ]; then
  part=$(mktemp "$build/kcsan-6.1-vmlinux.XXXXXX")
  xz -dc "$fix/vmlinux.xz" > "$part" && mv "$part" "$vml"
fi
src=$build/fixture-src
[ -f "$src/compile_commands.json" ] || "$fix/unpack-source.sh" "$src" >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Distinct titles: every third raw report, the first n of them.
mapfile -t reports < <(ls "$fix"/reports/raw/*.txt | awk 'NR % 3 == 1' | head -n "$n")
echo "valgrind memcheck: full mode on ${#reports[@]} reports"
rc=0
valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
  --suppressions="$root/tests/hardening/valgrind.supp" \
  --errors-for-leak-kinds=definite --show-leak-kinds=definite --track-origins=yes \
  --log-file="$work/vg" \
  "$bin" --rules "$root/rules" --vmlinux "$vml" --src "$src" --no-cache --format json \
  "${reports[@]}" > "$work/out" 2> "$work/err" || rc=$?
grep -E "ERROR SUMMARY|definitely lost|indirectly lost" "$work/vg" || true
echo "verdicts: $(wc -l < "$work/out"), exit $rc"
if [ "$rc" = 99 ]; then
  grep -B2 -A25 -E "Invalid|uninitialised|definitely lost in" "$work/vg" | head -120
  exit 1
fi
# 0 or 1 (a harmful verdict) is a normal end; anything else is not.
[ "$rc" -le 1 ] && [ "$(wc -l < "$work/out")" = "${#reports[@]}" ] ||
  { echo "valgrind: the run did not classify every report"; cat "$work/err"; exit 1; }
