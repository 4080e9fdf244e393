#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The behaviour of a build, as one sorted text file: for every report of the
# dev corpus (report only, and with a kernel tree) and of the fixture kernel
# (with its vmlinux and source), the fields a refactoring must not change:
# input, title, verdict, confidence, rule, object and both locksets.
# Compare two builds with `diff` of their snapshots.
#
# usage: bench/snapshot.sh BUILD_DIR LINUX_SRC OUT
#   BUILD_DIR  a build with the golden-full fixture unpacked
#              (`ctest --test-dir BUILD_DIR -R golden-full/setup`)
#   LINUX_SRC  a prepared kernel tree (fixtures/prepare-linux.sh)
#   OUT        the snapshot to write
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: snapshot.sh BUILD_DIR LINUX_SRC OUT}
linux=${2:?usage: snapshot.sh BUILD_DIR LINUX_SRC OUT}
out=${3:?usage: snapshot.sh BUILD_DIR LINUX_SRC OUT}
shared=${KT_SHARED_DIR:-$here/../shared}
bin=$build/kcsan-triage
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kt-snap.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fields() {
	python3 -c '
import json, sys
mode = sys.argv[1]
for line in sys.stdin:
    r = json.loads(line)
    locks = [a.get("locks") for a in r.get("accesses", [])]
    print("\t".join(str(x) for x in (mode, r["input"].rsplit("/", 1)[-1], r["line"], r["title"],
          r["verdict"], r["confidence"], r["rule"], r["object"], json.dumps(locks))))
' "$1"
}

"$bin" --format json "$shared/corpus/dev/reports" 2>/dev/null | fields dev >"$tmp/a" || true
"$bin" --format json --src "$linux" "$shared/corpus/dev/reports" 2>/dev/null |
	fields dev-src >>"$tmp/a" || true
"$bin" --format json --vmlinux "$build/golden-full/vmlinux" --src "$build/golden-full/src" \
	--cache-dir "$tmp/cache" "$shared/fixtures/kcsan-6.1/reports/raw" 2>/dev/null |
	fields fixture >>"$tmp/a" || true
sort "$tmp/a" >"$out"
wc -l <"$out" | sed 's/^/reports: /'
