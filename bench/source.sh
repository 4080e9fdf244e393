#!/usr/bin/env bash
# Milliseconds per report spent in the source stage on the 6.1 fixture.
#   cold: one process per report (nothing parsed yet), first report of each title;
#   warm: all 76 reports in one process (a batch), mean per report and mean of the
#         reports that needed no new parse.
# Usage: bench/source.sh [BUILD_DIR]   (default: build-source; the fixture source is
# unpacked into BUILD_DIR/fixture-src when absent)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$here/build-source}")
fix="$here/../shared/fixtures/kcsan-6.1"
dump="$build/tests/source/source_dump"
tree="$build/fixture-src"
[ -x "$dump" ] || { echo "build $dump first (make source_dump)" >&2; exit 1; }
[ -d "$fix" ] || { echo "no fixture at $fix" >&2; exit 1; }
[ -f "$tree/compile_commands.json" ] || "$fix/unpack-source.sh" "$tree" >/dev/null
reports=$(ls "$fix"/reports/symbolized/*.txt)
firsts=$(for f in $reports; do b=$(basename "$f"); echo "${b:4} $f"; done | sort -s -k1,1 -u | awk '{print $2}')

echo "cold (one process per report, $(echo "$firsts" | wc -l) titles; wall, and CPU of this process):"
for f in $firsts; do
	"$dump" -q --src "$tree" --rules "$here/rules" "$f" | sed -n 's/^== .* (\([0-9]*\) ms,.*, \([0-9]*\) ms cpu.*/\1 \2/p'
done | sort -n | awk '{v[NR]=$1; s+=$1; c+=$2} END {printf "  wall mean %.0f ms, median %d ms, max %d ms; cpu mean %.0f ms\n", s/NR, v[int((NR+1)/2)], v[NR], c/NR}'

echo "warm (one batch of $(echo "$reports" | wc -l) reports):"
"$dump" -q --src "$tree" --rules "$here/rules" $reports |
	sed -n 's/^== .* (\([0-9]*\) ms, \([0-9]*\) parses.*/\1 \2/p' |
	awk '{n++; s+=$1; if ($2 == last) {w++; ws+=$1; if ($1 > wmax) wmax=$1} last=$2}
	     END {printf "  mean %.0f ms/report over %d; %d reports without a new parse: mean %.1f ms, max %d ms\n", s/n, n, w, ws/w, wmax}'
