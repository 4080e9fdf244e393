#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# How well the rules decide, in figures, from a build directory:
#   1-3. tests/eval/eval.sh: the dev corpus report only and with both Debian
#        trees (each report read against the tree nearest its kernel), with
#        the figures by set (all reports, half A the rules may be written
#        against, half B held out) and by rule; the coverage of full mode on
#        the kcsan-6.1 fixture's reports;
#   4.   the kcsan-6.1-patterns fixture, whose verdicts are known by
#        construction (its expect.tsv), with its vmlinux and source: per
#        title, the reports decided as expected at medium or high confidence
#        and the object named (--expect).
# The fixtures are unpacked into the build directory once (the 6.1 one by
# its golden-full/setup test, the patterns one here). The figures are for
# people to read; the script fails only on a crash or malformed output.
#
# usage: bench/eval.sh [BUILD_DIR] [LINUX_6.1] [LINUX_6.12]
#   BUILD_DIR   default: build
#   LINUX_6.1, LINUX_6.12  prepared trees (fixtures/prepare-linux.sh),
#               default ../linux/linux-source-6.1 and -6.12 beside the
#               checkout; one that is absent is left out, saying so
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
t61=${2:-$here/../linux/linux-source-6.1}
t612=${3:-$here/../linux/linux-source-6.12}
shared=${KT_SHARED_DIR:-$here/../shared}
bin=$build/kcsan-triage
patterns=$shared/fixtures/kcsan-6.1-patterns
work=$build/patterns
fail=0

if [ ! -x "$bin" ]; then
	echo "eval: $bin not found: build first" >&2
	exit 1
fi
if [ ! -f "$build/golden-full/src.unpacked" ] && [ -x "$build/tests/golden-full/test_golden_full" ]; then
	echo "eval: unpacking the kcsan-6.1 fixture into $build/golden-full"
	"$build/tests/golden-full/test_golden_full" --setup >/dev/null || fail=1
fi

sh "$here/tests/eval/eval.sh" "$bin" "$shared" "$t61:$t612" \
	"$build/golden-full/vmlinux" "$build/golden-full/src"
rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 77 ] || fail=1

echo
echo "== 4. the patterns fixture (verdicts known by construction), with its vmlinux and source"
if [ ! -f "$patterns/expect.tsv" ]; then
	echo "skipped: $patterns is absent"
	exit $fail
fi
mkdir -p "$work" || exit 1
if [ ! -f "$work/vmlinux" ]; then
	xz -dc "$patterns/vmlinux.xz" >"$work/vmlinux.part" && mv "$work/vmlinux.part" "$work/vmlinux" ||
		exit 1
fi
if [ ! -f "$work/src.unpacked" ]; then
	rm -rf "$work/src"
	"$patterns/unpack-source.sh" "$work/src" >/dev/null && touch "$work/src.unpacked" || exit 1
fi
cmd="$bin --expect $patterns/expect.tsv --vmlinux $work/vmlinux --src $work/src --cache-dir $work/cache $patterns/reports/raw"
echo "\$ $cmd"
out=$(mktemp "${TMPDIR:-/tmp}/kt-patterns.XXXXXX") || exit 1
$cmd >"$out" 2>"$out.err"
rc=$?
cat "$out"
if [ "$rc" -ne 0 ] || ! grep -q '^titles right at medium+' "$out"; then
	echo "eval: FAIL: --expect on the patterns fixture: exit $rc" >&2
	tail -n 20 "$out.err" >&2
	fail=1
fi
rm -f "$out" "$out.err"
exit $fail
