#!/usr/bin/env bash
# --llm: syzbot's assessment page text and its JSON result are read, paired
# with their report, and compared; malformed verdict files are refused with
# their name.
set -u
bin=$1 root=$2 work=$3
rm -rf "$work"; mkdir -p "$work"
rules="$root/rules"
fail=0 pass=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
seed=$(ls "$root"/../shared/seeds/*.txt 2>/dev/null | head -1)

# A JSON verdict beside its report (NAME.llm.json + NAME.report.txt), built here.
cp "$root/testdata/golden/seed-shmem-copy.txt" "$work/a.report.txt"
printf '{"Benign": false, "Confident": true, "Explanation": "made up: says harmful"}\n' > "$work/a.llm.json"
"$bin" --rules "$rules" --llm "$work/a.llm.json" > "$work/out" 2> "$work/err"
[ $? = 0 ] && ok || bad "--llm on a JSON verdict: exit $?"
grep -q "=> disagree" "$work/out" && ok || bad "a harmful LLM verdict on a benign report is not a disagreement"
grep -q "the evidence that decides it" "$work/out" && ok || bad "no deciding evidence on disagreement"
grep -q "1 disagree" "$work/out" && ok || bad "summary line missing"

# JSON output of the same, one object per verdict.
"$bin" --rules "$rules" --format json --llm "$work/a.llm.json" > "$work/out.json" 2>/dev/null
/usr/bin/python3 -c '
import json, sys
o = json.loads(open(sys.argv[1]).readline())
assert o["llm"] == "harmful" and o["verdict"] == "benign" and o["agreement"] == "disagree", o
assert o["evidence"], o' "$work/out.json" && ok || bad "--llm JSON output"

# A directory of verdicts matched to reports given on the command line by title.
mkdir -p "$work/dir"
printf '{"Benign": true, "Explanation": "x"}' > "$work/dir/only.json"
"$bin" --rules "$rules" --llm "$work/dir/only.json" "$root/testdata/golden/seed-shmem-copy.txt" > "$work/out2" 2>&1
grep -q "=> agree" "$work/out2" && ok || bad "single verdict paired with the single report given"

# The real seed page, when the shared folder is there.
if [ -n "$seed" ]; then
  "$bin" --rules "$rules" --llm "$seed" > "$work/out3" 2>&1
  grep -q "LLM (.*): benign, confident" "$work/out3" && ok || bad "seed page verdict not read"
  grep -q "KCSAN: data-race in _copy_to_iter / copy_folio_from_iter_atomic" "$work/out3" && ok ||
    bad "seed page report not read"
fi

# Malformed verdict files: named, exit 2.
printf '{"Benign": "yes"}' > "$work/bad.json"
"$bin" --rules "$rules" --llm "$work/bad.json" "$root/testdata/golden/seed-shmem-copy.txt" > /dev/null 2> "$work/e1"
[ $? = 2 ] && grep -q "bad.json" "$work/e1" && ok || bad "non-boolean Benign not refused"
printf '{"Benign": true,' > "$work/cut.json"
"$bin" --rules "$rules" --llm "$work/cut.json" "$root/testdata/golden/seed-shmem-copy.txt" > /dev/null 2> "$work/e2"
[ $? = 2 ] && grep -q "cut.json:1" "$work/e2" && ok || bad "truncated JSON not refused with its line"
printf 'just some text\n' > "$work/page.txt"
"$bin" --rules "$rules" --llm "$work/page.txt" > /dev/null 2> "$work/e3"
[ $? = 2 ] && grep -q "page.txt" "$work/e3" && ok || bad "a page without a verdict not refused"

echo "llm: $pass passed, $fail failed"
[ "$fail" = 0 ]
