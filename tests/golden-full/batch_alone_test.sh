#!/usr/bin/env bash
# A report's verdict and facts do not depend on the reports classified before
# it in the same process, nor on which -j worker takes it: the fixture's tty
# reports (they share translation units) classified in one batch, -j 1 and
# -j 2, give byte for byte what each gives alone, one process per report.
# usage: batch_alone_test.sh KCSAN-TRIAGE VMLINUX SRC REPORTS_DIR WORKDIR
set -u
bin=$1 vmlinux=$2 src=$3 reports=$4 work=$5
[ -d "$src" ] && [ -f "$vmlinux" ] || { echo "SKIP: the fixture is not unpacked ($src)"; exit 77; }
rm -rf "$work" && mkdir -p "$work"
set -- "$reports"/0{44,45,47,51,53,55}-data-race-in-*.txt
[ "$#" = 6 ] && [ -f "$1" ] || { echo "FAIL: the fixture's tty reports are not in $reports"; exit 1; }
run() { "$bin" --no-cache --format json --vmlinux "$vmlinux" --src "$src" "$@" 2>/dev/null; }
fail=0
for f in "$@"; do run "$f"; done >"$work/alone.json"
[ "$(wc -l <"$work/alone.json")" = 6 ] || { echo "FAIL: alone: $(wc -l <"$work/alone.json") results of 6"; exit 1; }
for j in 1 2; do
	run -j "$j" "$@" >"$work/j$j.json"
	if ! cmp -s "$work/alone.json" "$work/j$j.json"; then
		echo "FAIL: -j $j batch differs from each report alone:"
		diff "$work/alone.json" "$work/j$j.json" | cut -c1-300 | head -6
		fail=1
	fi
done
[ "$fail" = 0 ] && echo "batch_alone: 6 reports, batch -j 1 and -j 2 identical to each alone"
exit "$fail"
