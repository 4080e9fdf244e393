#!/usr/bin/env bash
# `cmake --install` puts the binary, the rules and the man page in place, and
# the installed binary finds its rules without flags.
set -u
build=$1 root=$2 work=$3
rm -rf "$work"; mkdir -p "$work"
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log" 2>&1 ||
  { echo "FAIL: cmake --install"; cat "$work/install.log"; exit 1; }
fail=0
for f in bin/kcsan-triage share/man/man1/kcsan-triage.1 share/kcsan-triage/rules/README.md; do
  [ -f "$work/prefix/$f" ] || { echo "FAIL: $f not installed"; fail=1; }
done
ls "$work/prefix/share/kcsan-triage/rules/"*.rules > /dev/null 2>&1 || { echo "FAIL: no rules installed"; fail=1; }
# Run from elsewhere, with no --rules: the installed rules are found.
(cd / && "$work/prefix/bin/kcsan-triage" --format json "$root/testdata/golden/seed-shmem-copy.txt") \
  > "$work/out.json" 2> "$work/err" || { echo "FAIL: installed binary failed"; cat "$work/err"; fail=1; }
grep -q '"verdict":"benign"' "$work/out.json" || { echo "FAIL: installed binary gave no benign verdict"; fail=1; }
"$work/prefix/bin/kcsan-triage" --check-rules > "$work/cr" 2>&1 || { echo "FAIL: --check-rules without a dir"; cat "$work/cr"; fail=1; }
grep -q "$work/prefix/bin/../share/kcsan-triage/rules" "$work/cr" || { echo "FAIL: --check-rules did not use the installed rules: $(cat "$work/cr")"; fail=1; }
[ $fail = 0 ] && echo "install: 1 passed, 0 failed" || echo "install: 0 passed, 1 failed"
exit $fail
