#!/usr/bin/env bash
# The SARIF log validates against the SARIF 2.1.0 JSON schema, carries the
# rule ids, stable fingerprints and a suppression for a baselined race, and a
# baselined harmful race does not trip the gate.
# Needs Debian's python3-jsonschema and the schema file, which ships in the
# npm package @microsoft/jest-sarif (fetched once into the build directory);
# skips, saying so, when either is missing.
set -u
bin=$1 root=$2 work=$3
mkdir -p "$work"
py=/usr/bin/python3
seed="$root/testdata/golden/seed-shmem-copy.txt"
[ -f "$seed" ] || { echo "SKIP: $seed not present"; exit 77; }
"$py" -c 'import jsonschema' 2>/dev/null || { echo "SKIP: python3-jsonschema not installed"; exit 77; }
schema="$work/sarif-2.1.0.json"
if [ ! -s "$schema" ]; then
  (cd "$work" && rm -rf pkg && mkdir pkg && cd pkg &&
    timeout 120 npm pack --silent @microsoft/jest-sarif >/dev/null 2>&1 &&
    tar xzf ./*.tgz && cp package/lib/schemas/sarif-2.1.0*.json "$schema") ||
    { echo "SKIP: could not fetch the SARIF 2.1.0 schema"; exit 77; }
fi
fail=0 pass=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

cat > "$work/ptr.txt" <<'R'
==================================================================
BUG: KCSAN: data-race in foo_release / foo_poll

write to 0xffff888012345678 of 8 bytes by task 10 on cpu 0:
 foo_release+0x10/0x40
 __fput+0x20/0x80

read to 0xffff888012345678 of 8 bytes by task 11 on cpu 1:
 foo_poll+0x10/0x40
 do_sys_poll+0x20/0x80

value changed: 0xffff888012340000 -> 0x0000000000000000

Reported by Kernel Concurrency Sanitizer on:
CPU: 1 PID: 11 Comm: t Not tainted 6.1.0 #1
==================================================================
R
printf '# accepted races\nKCSAN: data-race in foo_release / foo_poll\t*\tteardown only, object unpublished\tjane@example.org\n' > "$work/baseline.tsv"

"$bin" --rules "$root/rules" --format sarif "$seed" "$work/ptr.txt" > "$work/a.sarif"
[ $? = 0 ] && ok || bad "sarif run exit status"
"$bin" --rules "$root/rules" --format sarif "$seed" "$work/ptr.txt" > "$work/b.sarif"
"$bin" --rules "$root/rules" --format sarif --baseline "$work/baseline.tsv" --fail-on unknown \
  "$work/ptr.txt" > "$work/c.sarif"
[ $? = 0 ] && ok || bad "a baselined race tripped the gate"

"$py" - "$schema" "$work/a.sarif" "$work/b.sarif" "$work/c.sarif" <<'P' && ok || bad "schema or content check"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
logs = [json.load(open(p)) for p in sys.argv[2:]]
for log in logs:
    jsonschema.validate(log, schema)
a, b, c = logs
ra, rb = a["runs"][0]["results"], b["runs"][0]["results"]
assert len(ra) == 2, len(ra)
ids = {r["id"] for r in a["runs"][0]["tool"]["driver"]["rules"]}
for r in ra:
    assert r["ruleId"] in ids
    assert r["level"] in ("note", "warning", "error")
# Fingerprints are stable between runs and differ between bugs.
fa = [r["partialFingerprints"]["kcsanBug/v1"] for r in ra]
fb = [r["partialFingerprints"]["kcsanBug/v1"] for r in rb]
assert fa == fb and fa[0] != fa[1], (fa, fb)
rc = c["runs"][0]["results"]
assert len(rc) == 1 and rc[0]["suppressions"][0]["status"] == "accepted"
assert "jane@example.org" in rc[0]["suppressions"][0]["justification"]
assert "suppressions" not in ra[0]
P

# A baseline line with three fields is refused with file:line.
printf 'KCSAN: data-race in a / b\t*\treason only\n' > "$work/bad.tsv"
"$bin" --rules "$root/rules" --baseline "$work/bad.tsv" "$seed" > /dev/null 2> "$work/bad.err"
[ $? = 2 ] && grep -q "bad.tsv:1" "$work/bad.err" && ok || bad "malformed baseline not refused"

echo "sarif: $pass passed, $fail failed"
[ "$fail" = 0 ]
