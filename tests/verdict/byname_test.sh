#!/bin/sh
# Reports printed without file:line and no vmlinux, read against a tree:
# the frames are given the files that define their functions (the census
# index), and a decision reading what the source stage found there is
# withheld. Each testdata/verdict/byname/NAME.txt is checked against
# NAME.expect (verdict, lean, rule, object, fact lines, note text).
# usage: byname_test.sh KCSAN-TRIAGE KT-CENSUS TESTDATA WORKDIR
set -eu
bin=$1 census=$2 td=$3 work=$4
tree=$td/census/tree
rm -rf "$work" && mkdir -p "$work"
fail=0
bad() { echo "FAIL: $*"; fail=1; }

for rep in "$td"/verdict/byname/*.txt; do
	name=$(basename "$rep" .txt)
	exp=${rep%.txt}.expect
	"$bin" --cache-dir "$work/cache" --format json --src "$tree" "$rep" >"$work/$name.json"
	"$bin" --cache-dir "$work/cache" --format facts --src "$tree" "$rep" >"$work/$name.facts"
	grep -v '^#' "$exp" | while read -r key val; do
		[ -n "$key" ] || continue
		case $key in
		verdict|lean|rule|object)
			got=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r.get(sys.argv[2]) or "none")' "$work/$name.json" "$key")
			[ "$got" = "$val" ] || { echo "FAIL: $name: $key is '$got', expected '$val'"; exit 1; } ;;
		fact)
			grep -qF "  $val (" "$work/$name.facts" || { echo "FAIL: $name: no fact '$val'"; exit 1; } ;;
		note)
			grep -qF "$val" "$work/$name.json" || { echo "FAIL: $name: no '$val' in the output"; exit 1; } ;;
		*) echo "FAIL: $exp: unknown key $key"; exit 1 ;;
		esac
	done || fail=1
done

# Without the census (no index) the frames stay without a file: the source
# layer says what it needs.
"$bin" --no-census --format json --src "$tree" "$td/verdict/byname/deviant-writer-raw.txt" >"$work/nocensus.json"
grep -q 'needs one of them' "$work/nocensus.json" || bad "--no-census: no note that the source layer needs file:line or a vmlinux"
grep -q 'src.by_name' "$work/nocensus.json" && bad "--no-census: frames placed by name"

# A rule reading source facts of frames placed by name only wins over a
# rule reading report facts alone: the latter decides, with a note.
"$bin" --rules "$td/verdict/byname-rules" --cache-dir "$work/cache" --format json --src "$tree" \
	"$td/verdict/byname/deviant-writer-raw.txt" >"$work/fallback.json"
python3 - "$work/fallback.json" <<'PY' || bad "report-only fallback"
import json, sys
r = json.load(open(sys.argv[1]))
assert (r["verdict"], r["rule"]) == ("benign", "two-writers"), (r["verdict"], r["rule"])
notes = " ".join(n["message"] for n in r["errors"])
assert "decided from the report's facts alone" in notes and "object-named leaned harmful" in notes, notes
PY

# The index's answer: where each function is defined.
"$census" --src "$tree" --cache-dir "$work/cache" --defines port_set_mtu netdev_total no_such_function >"$work/defines.txt"
printf '%s\n' 'port_set_mtu: drivers/port/port.c' 'netdev_total: net/core/netdev.c' \
	'no_such_function: not defined in the tree' | diff -u - "$work/defines.txt" || bad "kt-census --defines"
[ "$fail" = 0 ] && echo "byname: all checks passed"
exit "$fail"
