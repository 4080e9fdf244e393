#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Full mode (--vmlinux --src) on the 6.1 fixture's distinct reports (the
# first raw report of each title), for this build and a reference build side
# by side, runs interleaved:
#   cold   one process per report, each with its own empty cache directory;
#   warm   the same processes again, each on the cache its cold run left;
#   batch  all reports in one process, empty cache, -j 1 and -j 2; then -j 1
#          again on the cache that batch left.
# Prints per report (one process each) or per batch: CPU seconds, wall
# seconds, peak RSS; the -j 2 speedup is wall(-j 1) / wall(-j 2). Checks that
# every run of a build gives the same verdict, rule, object and locksets per
# report, and says where the two builds differ. On a loaded machine wall time
# is what other processes leave (the load average is printed).
#
# usage: bench/full-mode.sh REF_BUILD_DIR [BUILD_DIR] [FIXTURE_DIR]
#   FIXTURE_DIR holds vmlinux and src/ (default BUILD_DIR/golden-full, made by
#   `ctest --test-dir BUILD_DIR -R golden-full/setup`)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ref=${1:?usage: full-mode.sh REF_BUILD_DIR [BUILD_DIR] [FIXTURE_DIR]}/kcsan-triage
build=${2:-$root/build}
new=$build/kcsan-triage
fx=${3:-$build/golden-full}
shared=${KT_SHARED_DIR:-$root/../shared}
[ -x "$ref" ] && [ -x "$new" ] || { echo "need $ref and $new" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }
[ -f "$fx/vmlinux" ] && [ -d "$fx/src" ] ||
	{ echo "no $fx/vmlinux or $fx/src: ctest --test-dir $build -R golden-full/setup" >&2; exit 2; }
. "$root/bench/lib-batch.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the first raw report of each title
reports=()
while read -r f; do reports+=("$f"); done < <(
	for f in "$shared"/fixtures/kcsan-6.1/reports/raw/*.txt; do
		b=$(basename "$f")
		echo "${b:4} $f"
	done | sort -s -k1,1 -u | awk '{print $2}')
n=${#reports[@]}
echo "full mode, 6.1 fixture: $n distinct reports; $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"

# run TAG BIN CACHE ARGS...: one timed run, its JSON kept for the verdict check
run() {
	local tag=$1 bin=$2 cache=$3
	shift 3
	/usr/bin/time -f '%U %S %e %M' -o "$tmp/t" "$bin" --format json --vmlinux "$fx/vmlinux" \
		--src "$fx/src" --cache-dir "$cache" "$@" >>"$tmp/$tag.json" 2>/dev/null || true
	awk '{printf "%.3f %.3f %d\n", $1 + $2, $3, $4 / 1024}' "$tmp/t" >>"$tmp/$tag.time"
}

for i in "${!reports[@]}"; do
	for b in ref new; do
		bin=$ref
		[ $b = new ] && bin=$new
		run "$b.cold" "$bin" "$tmp/c.$b.$i" "${reports[$i]}"
	done
done
for i in "${!reports[@]}"; do
	for b in ref new; do
		bin=$ref
		[ $b = new ] && bin=$new
		run "$b.warm" "$bin" "$tmp/c.$b.$i" "${reports[$i]}"
	done
done
for b in ref new; do
	bin=$ref
	[ $b = new ] && bin=$new
	run "$b.j1" "$bin" "$tmp/b1.$b" -j 1 "${reports[@]}"
	run "$b.j2" "$bin" "$tmp/b2.$b" -j 2 "${reports[@]}"
	run "$b.j1warm" "$bin" "$tmp/b1.$b" -j 1 "${reports[@]}"
done
echo "load after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"

mean() { awk -v k="$1" '{s += $k; if ($k > m) m = $k} END {printf "%.3f %.3f", s / NR, m}' "$2"; }
printf '%-6s %-24s %9s %9s %9s %8s\n' build run cpu_s wall_s max_cpu_s rss_MB
for b in ref new; do
	for m in cold warm; do
		read -r c cm <<<"$(mean 1 "$tmp/$b.$m.time")"
		read -r w _ <<<"$(mean 2 "$tmp/$b.$m.time")"
		read -r _ r <<<"$(mean 3 "$tmp/$b.$m.time")"
		printf '%-6s %-24s %9s %9s %9s %8.0f\n' "$b" "$m (per report)" "$c" "$w" "$cm" "$r"
	done
	for m in j1 j2 j1warm; do
		read -r c w r <"$tmp/$b.$m.time"
		printf '%-6s %-24s %9s %9s %9s %8s\n' "$b" "batch $m ($n reports)" "$c" "$w" - "$r"
	done
	w1=$(cut -d' ' -f2 "$tmp/$b.j1.time")
	w2=$(cut -d' ' -f2 "$tmp/$b.j2.time")
	printf '%-6s -j 2 speedup %.2fx\n' "$b" "$(echo "$w1 / $w2" | bc -l)"
done

# verdict rows: every run of a build must agree; the builds are compared
rows() {
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    locks = [a.get("locks") for a in r.get("accesses", [])]
    print("\t".join(str(x) for x in (r["input"].rsplit("/", 1)[-1], r["verdict"],
          r["confidence"], r["rule"], r["object"], json.dumps(locks))))
' "$1" | sort
}
for b in ref new; do
	rows "$tmp/$b.cold.json" >"$tmp/$b.rows"
	for m in warm j1 j2 j1warm; do
		rows "$tmp/$b.$m.json" | cmp -s - "$tmp/$b.rows" ||
			echo "$b: $m verdicts differ from cold" >&2
	done
done
if cmp -s "$tmp/ref.rows" "$tmp/new.rows"; then
	echo "verdicts: the same for both builds ($(wc -l <"$tmp/new.rows") rows)"
else
	echo "verdicts differ between the builds:"
	diff "$tmp/ref.rows" "$tmp/new.rows" || true
fi
