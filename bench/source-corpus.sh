#!/usr/bin/env bash
# The source stage over the labeled dev corpus (../shared/corpus/dev) with a kernel tree:
# ms per report (one batch) and how many accesses got an object and a lockset.
# The corpus comes from kernels 5.x to 6.15, so against one tree many lines have moved:
# the fractions measure what survives that, not the stage on matching source.
# Usage: bench/source-corpus.sh TREE [BUILD_DIR]
#   TREE: e.g. the tree prepared by ../shared/fixtures/prepare-linux-6.1.sh DIR
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tree=${1:?usage: bench/source-corpus.sh TREE [BUILD_DIR]}
build=$(realpath -m "${2:-$here/build-source}")
dump="$build/tests/source/source_dump"
corpus="$here/../shared/corpus/dev/reports"
[ -x "$dump" ] || { echo "build $dump first (make source_dump)" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$dump" --src "$tree" --rules "$here/rules" "$corpus"/*.txt > "$out" || true
awk '
/^== / { n++; t = $0; sub(/.*\(/, "", t); sub(/ ms.*/, "", t); ms += t; if (t + 0 > max) max = t + 0 }
/^  [ab]\.expr\.field = / { field++ }
/^  [ab]\.locks\.known = true/ { known++ }
/^  [ab]\.locks\.complete = true/ { complete++ }
/^  object = / { obj++ }
/^  object\.differs = / { differs++ }
END {
	printf "%d reports, %.0f ms/report (max %d ms)\n", n, ms / n, max
	printf "accesses with an expression: %d/%d; lockset known: %d/%d (complete: %d)\n", field, 2 * n, known, 2 * n, complete
	printf "reports with a common object: %d/%d (sides differ: %d)\n", obj, n, differs
}' "$out"
