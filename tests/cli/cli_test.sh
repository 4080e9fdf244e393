#!/usr/bin/env bash
# The command line as a user and a CI pipeline see it: inputs (file,
# directory, stdin), output formats, exit codes and the gate, errors naming
# file and line, stdout carrying only results.
set -u
bin=$1 root=$2 work=$3
mkdir -p "$work"
fail=0 pass=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect_rc() { # want got what
  if [ "$1" = "$2" ]; then ok; else bad "$3: exit $2, expected $1"; fi
}
contains() { # file pattern what
  if grep -q -- "$2" "$1"; then ok; else bad "$3: '$2' not in output"; cat "$1" >&2; fi
}

rules="$root/rules"
seed="$root/testdata/golden/seed-shmem-copy.txt"
[ -f "$seed" ] || { echo "SKIP: $seed not present"; exit 77; }

# A report with a harmful-leaning read-write on both sides, synthetic.
cat > "$work/rmw.txt" <<'R'
==================================================================
BUG: KCSAN: data-race in foo_update / foo_update

read-write to 0xffff888012345678 of 8 bytes by task 10 on cpu 0:
 foo_update+0x10/0x40
 foo_ioctl+0x20/0x80

read-write to 0xffff888012345678 of 8 bytes by task 11 on cpu 1:
 foo_update+0x10/0x40
 foo_ioctl+0x20/0x80

value changed: 0xffff888012340000 -> 0x0000000000000000

Reported by Kernel Concurrency Sanitizer on:
CPU: 1 PID: 11 Comm: t Not tainted 6.1.0 #1
==================================================================
R

# 1. Text on a file: all sections, exit 0 without a gate.
"$bin" --rules "$rules" "$seed" > "$work/out.txt" 2> "$work/err.txt"
expect_rc 0 $? "text on the seed"
for s in "Race summary" "Synchronization context" "Classification" "Reasoning" \
         "Recommended annotation or fix" "Evidence" "inputs used: report"; do
  contains "$work/out.txt" "$s" "text section"
done
[ -s "$work/err.txt" ] && bad "stderr not empty for one good report: $(cat "$work/err.txt")" || ok

# 2. JSON Lines from stdin, one valid object per report, required fields.
cat "$seed" "$work/rmw.txt" | "$bin" --rules "$rules" --format json > "$work/out.json" 2>/dev/null
expect_rc 0 $? "json from stdin"
n=$(wc -l < "$work/out.json")
[ "$n" = 2 ] && ok || bad "json: $n lines for 2 reports"
if command -v python3 >/dev/null; then
  python3 - "$work/out.json" <<'P' && ok || bad "json: invalid or missing fields"
import json, sys
need = ["title", "verdict", "confidence", "rule", "object", "accesses", "value_change",
        "explanation", "action", "inputs", "source_tree", "errors"]
for line in open(sys.argv[1]):
    o = json.loads(line)
    for k in need:
        assert k in o, k
    assert o["verdict"] in ("benign", "harmful", "unknown")
    assert o["confidence"] in ("high", "medium", "low")
    assert o["inputs"] == ["report"]
    assert o["source_tree"] is None
    for a in o["accesses"]:
        for k in ("function", "file", "line", "type", "size", "marked", "context", "locks"):
            assert k in a, k
P
fi

# 3. Gate: the seed is benign, so --fail-on harmful passes; the RMW report is
#    not benign, so --fail-on unknown trips with exit 1.
"$bin" --rules "$rules" --fail-on harmful "$seed" > /dev/null 2>&1
expect_rc 0 $? "--fail-on harmful on a benign report"
"$bin" --rules "$rules" --fail-on unknown "$work/rmw.txt" > /dev/null 2>&1
expect_rc 1 $? "--fail-on unknown on a non-benign report"
"$bin" --rules "$rules" --fail-on never "$work/rmw.txt" > /dev/null 2>&1
expect_rc 0 $? "--fail-on never"

# 4. A directory input, with a truncated report among good ones: the good ones
#    are classified, the bad one is named with file:line, exit 2.
mkdir -p "$work/dir"
cp "$seed" "$work/dir/a.txt"
head -n 8 "$work/rmw.txt" > "$work/dir/b.txt"
"$bin" --rules "$rules" --format json "$work/dir" > "$work/dir.json" 2> "$work/dir.err"
expect_rc 2 $? "directory with a truncated report"
[ "$(wc -l < "$work/dir.json")" = 1 ] && ok || bad "directory: good report not classified"
contains "$work/dir.err" "b.txt:[0-9]" "error names the file and line"

# 5. Usage errors and unreadable input exit 2 with a message.
"$bin" --format yaml "$seed" > /dev/null 2> "$work/e1"
expect_rc 2 $? "bad --format"
contains "$work/e1" "format" "bad --format message"
"$bin" --rules "$rules" "$work/does-not-exist" > /dev/null 2> "$work/e2"
expect_rc 2 $? "missing input"
contains "$work/e2" "does-not-exist" "missing input named"
"$bin" --rules "$work/no-rules-here" "$seed" > /dev/null 2> "$work/e3"
expect_rc 2 $? "missing rule directory"

# 6. --check-rules: the shipped set is valid; a broken file is refused with file:line.
"$bin" --check-rules "$rules" > "$work/cr.out" 2>&1
expect_rc 0 $? "--check-rules on the shipped rules"
mkdir -p "$work/badrules"
printf '[r1]\nverdict = benign\nconfidence = high\npriority = 1\nwhen = a.func ~ /(/\nexplain = x\naction = y\n' > "$work/badrules/x.rules"
"$bin" --check-rules "$work/badrules" > /dev/null 2> "$work/cr.err"
expect_rc 2 $? "--check-rules on a bad rule"
contains "$work/cr.err" "x.rules:5" "bad rule named with file:line"

# 7. -j N gives the same output, in the same order, as one thread.
for i in 1 2 3 4 5 6; do cat "$seed" "$work/rmw.txt"; done > "$work/many.log"
"$bin" --rules "$rules" --format json "$work/many.log" > "$work/j1.json" 2>/dev/null
"$bin" --rules "$rules" --format json -j 3 "$work/many.log" > "$work/j3.json" 2>/dev/null
expect_rc 0 $? "-j 3"
[ "$(wc -l < "$work/j3.json")" = 12 ] && cmp -s "$work/j1.json" "$work/j3.json" && ok ||
  bad "-j 3 output differs from one thread"
"$bin" -j 0 "$seed" > /dev/null 2>&1
expect_rc 2 $? "-j 0 refused"

echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
