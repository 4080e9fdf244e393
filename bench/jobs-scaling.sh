#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# -j scaling, report only: wall and CPU time of one process classifying a
# ~10 000-report console log with -j 1 and -j 2 (JSON), for this build and a
# reference build side by side, runs interleaved, medians of RUNS. The
# speedup is wall(-j 1) / wall(-j 2) of the same build. On a loaded machine
# wall time is what other processes leave: compare the two builds' columns.
#
# usage: bench/jobs-scaling.sh REF_BUILD_DIR [BUILD_DIR] [RUNS] [REPORTS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib-batch.sh"
batch_setup jobs-scaling.sh "$@"
n=$(make_log "$tmp/log" "$want")
echo "log: $n reports; $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg); median of $runs"
for ((i = 0; i < runs; i++)); do
	for j in 1 2; do
		timed "$ref" -j "$j" --format json "$tmp/log" >>"$tmp/ref.$j"
		timed "$new" -j "$j" --format json "$tmp/log" >>"$tmp/new.$j"
	done
done
printf '%-6s %-4s %9s %9s %8s %10s\n' build jobs cpu_s wall_s rss_MB speedup
for b in ref new; do
	w1=$(col 2 "$tmp/$b.1")
	for j in 1 2; do
		w=$(col 2 "$tmp/$b.$j")
		printf '%-6s %-4s %9s %9s %8s %9.2fx\n' "$b" "$j" "$(col 1 "$tmp/$b.$j")" "$w" \
			"$(col 3 "$tmp/$b.$j")" "$(echo "$w1 / $w" | bc -l)"
	done
done
