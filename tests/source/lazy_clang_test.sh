#!/bin/sh
# libclang is loaded when the source stage first parses, not at start-up: a
# report-only run and a run answered from the source stage's cache never
# load it (the dynamic linker's LD_DEBUG=files trace says what it loaded),
# a run that parses does, and all three give what they gave before. A tree
# whose own compile_commands.json cannot be read is parsed with derived
# flags and says so; a database named with --compile-commands that cannot
# be read is an error naming it.
# usage: lazy_clang_test.sh KCSAN-TRIAGE TESTDATA WORKDIR
set -eu
bin=$1 td=$2 work=$3
tree=$td/census/tree
rep=$td/verdict/byname/deviant-writer-symbolized.txt
rm -rf "$work" && mkdir -p "$work"
fail=0
bad() { echo "FAIL: $*"; fail=1; }
loads() { grep -q 'libclang' "$1"; }

LD_DEBUG=files "$bin" --format json "$rep" >"$work/ro.json" 2>"$work/ro.trace" || true
grep -q '"verdict"' "$work/ro.json" || bad "report only: no verdict"
loads "$work/ro.trace" && bad "report only: libclang was loaded"

for run in cold warm; do
	LD_DEBUG=files "$bin" --cache-dir "$work/cache" --format json --src "$tree" "$rep" \
		>"$work/$run.json" 2>"$work/$run.trace" || true
done
grep -q '"src.strategy\|placement' "$work/cold.json" || bad "cold: the source stage placed nothing"
loads "$work/cold.trace" || bad "cold: the run parsed without loading libclang?"
loads "$work/warm.trace" && bad "warm: libclang was loaded although the cache answered"
cmp -s "$work/cold.json" "$work/warm.json" || bad "warm output differs from cold"

cp -R "$tree" "$work/tree"
printf '[{"directory": "/x", "file": \n' >"$work/tree/compile_commands.json"
"$bin" --no-cache --format json --src "$work/tree" "$rep" >"$work/baddb.json" 2>/dev/null || true
grep -q 'compile_commands.json: cannot read the compilation database; [^"]* parsed with flags derived from the tree' \
	"$work/baddb.json" || bad "a tree's unreadable database: no note"
grep -q '"verdict"' "$work/baddb.json" || bad "a tree's unreadable database: no verdict"
if "$bin" --no-cache --compile-commands "$work/tree/compile_commands.json" --src "$work/tree" "$rep" \
	>/dev/null 2>"$work/named.err"; then
	bad "--compile-commands with an unreadable database exited 0"
else
	[ $? = 2 ] || bad "--compile-commands with an unreadable database: exit status not 2"
	grep -q "kcsan-triage: $work/tree/compile_commands.json: cannot read the compilation database" \
		"$work/named.err" || bad "--compile-commands: no error naming the file"
fi
[ "$fail" = 0 ] && echo "lazy libclang: all checks passed"
exit "$fail"
