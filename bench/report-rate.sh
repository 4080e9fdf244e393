#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Report-only throughput: reports per CPU-second (user+system) of one
# process classifying a ~10 000-report console log (~19 MB), in text and
# JSON, for this build and a reference build side by side. The runs of the
# two builds are interleaved and each figure is the median of RUNS, so load
# from other processes falls on both alike. Peak RSS is GNU time's.
#
# usage: bench/report-rate.sh REF_BUILD_DIR [BUILD_DIR] [RUNS] [REPORTS]
#   REF_BUILD_DIR  the previous build (e.g. a build of main)
#   BUILD_DIR      default build;  RUNS default 7;  REPORTS default 10000
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib-batch.sh"
batch_setup report-rate.sh "$@"
n=$(make_log "$tmp/log" "$want")
echo "log: $n reports, $(($(stat -c %s "$tmp/log") / 1048576)) MB; $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg); median of $runs"
printf '%-6s %-10s %9s %9s %8s %14s\n' format build cpu_s wall_s rss_MB reports/cpu-s
for fmt in text json; do
	for ((i = 0; i < runs; i++)); do
		timed "$ref" --format "$fmt" "$tmp/log" >>"$tmp/ref.$fmt"
		timed "$new" --format "$fmt" "$tmp/log" >>"$tmp/new.$fmt"
	done
	for b in ref new; do
		cpu=$(col 1 "$tmp/$b.$fmt")
		printf '%-6s %-10s %9s %9s %8s %14.0f\n' "$fmt" "$b" "$cpu" "$(col 2 "$tmp/$b.$fmt")" \
			"$(col 3 "$tmp/$b.$fmt")" "$(echo "$n / $cpu" | bc -l)"
	done
done
