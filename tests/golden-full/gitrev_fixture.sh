#!/usr/bin/env bash
# A fixture report against a git repository made from the fixture's source:
# the first commit is the fixture's tree (generated headers untracked, in the
# work tree), a second one moves the reported functions' lines, and the work
# tree is at the second. The report naming the first commit (-gHASH) gets
# the golden verdict, read from that commit's tree with every access at its
# line; naming the second, its lines no longer fit.
set -u
bin=$1 vmlinux=$2 src=$3 golden=$4 work=$5
name=008-data-race-in-generic_fillattr-setattr_copy
[ -d "$src" ] && [ -f "$vmlinux" ] || { echo "SKIP: the fixture is not unpacked ($src)"; exit 77; }
command -v git >/dev/null || { echo "SKIP: git not installed"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
fail=0 pass=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)
repo=$work/linux
g() { git -C "$repo" -c user.email=t@example.org -c user.name=t "$@"; }

# Hard links: the tree is the fixture's without copying it; files the test
# changes are written anew, never in place.
cp -al "$src" "$repo"
rm "$repo/compile_commands.json"
sed "s#$src#$repo#g" "$src/compile_commands.json" > "$repo/compile_commands.json"
printf '/compile_commands.json\ninclude/generated/\narch/*/include/generated/\n' > "$repo/.gitignore"
g init -q . && g add -A && g commit -qm "the fixture's tree" || { bad "git commit"; exit 1; }
c1=$(g rev-parse HEAD)
for f in fs/attr.c fs/stat.c; do
  { printf '/* moved */\n\n\n'; cat "$repo/$f"; } > "$work/tmp" && rm "$repo/$f" && mv "$work/tmp" "$repo/$f"
done
g commit -qam "move the reported lines"
c2=$(g rev-parse HEAD)

sed "s/Not tainted 6.1.192 /Not tainted 6.1.192-00001-g${c1:0:12} /" "$golden/$name.txt" > "$work/c1.txt"
sed "s/Not tainted 6.1.192 /Not tainted 6.1.192-00002-g${c2:0:12} /" "$golden/$name.txt" > "$work/c2.txt"
grep -q "g${c1:0:12}" "$work/c1.txt" || { bad "the report names no kernel to rewrite"; exit 1; }

summary() {
  python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    print(r["rev"], r["rev_from"], r["source_tree"], r["verdict"], r["rule"], r["object"],
          " ".join(str(a["placement"]) for a in r["accesses"]), sep="\t")
'
}

"$bin" --vmlinux "$vmlinux" --src "$repo" --format json "$work/c1.txt" "$work/c2.txt" |
  summary > "$work/got.tsv"
want_rule=$(sed -n 's/^rule: //p' "$golden/$name.expect")
want_object=$(sed -n 's/^object: //p' "$golden/$name.expect")
want_verdict=$(sed -n 's/^verdict: //p' "$golden/$name.expect")
printf '%s\treport-hash\texact\t%s\t%s\t%s\tline line\n' "$c1" "$want_verdict" "$want_rule" \
  "$want_object" > "$work/want.tsv"
if diff -u "$work/want.tsv" <(sed -n 1p "$work/got.tsv") >&2; then ok
else bad "the report read at its own commit"; fi
# at the second commit the reported lines hold other code
if sed -n 2p "$work/got.tsv" | grep -q "^$c2	report-hash	" &&
   ! sed -n 2p "$work/got.tsv" | grep -q "exact"; then ok
else bad "the report naming the second commit"; sed -n 2p "$work/got.tsv" >&2; fi

echo "gitrev_fixture: $pass passed, $fail failed"
[ "$fail" = 0 ]
