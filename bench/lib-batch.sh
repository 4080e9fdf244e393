# SPDX-License-Identifier: Apache-2.0
# Shared by bench/report-rate.sh and bench/jobs-scaling.sh (sourced): the
# batch log and one timed run.

# batch_setup NAME ARGS...: the two scripts' arguments (REF_BUILD_DIR
# [BUILD_DIR] [RUNS] [REPORTS]) into ref, new, runs, want, shared; checks the
# binaries and GNU time; a temporary directory tmp, removed at exit.
batch_setup() {
	local name=$1
	shift
	ref=${1:?usage: $name REF_BUILD_DIR [BUILD_DIR] [RUNS] [REPORTS]}/kcsan-triage
	new=${2:-$root/build}/kcsan-triage
	runs=${3:-7}
	want=${4:-10000}
	shared=${KT_SHARED_DIR:-$root/../shared}
	[ -x "$ref" ] && [ -x "$new" ] || { echo "need $ref and $new" >&2; exit 2; }
	[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
}

# make_log OUT N: a console log of about N reports, cycling the fixture's
# raw and symbolized reports, the dev corpus and the golden reports, each
# followed by unrelated kernel output. Prints the number of reports.
make_log() {
	local out=$1 n=$2 unit per reps f
	unit=$(mktemp)
	for f in "$shared"/fixtures/kcsan-6.1/reports/raw/*.txt \
		"$shared"/fixtures/kcsan-6.1/reports/symbolized/*.txt \
		"$shared"/corpus/dev/reports/*.txt "$root"/testdata/golden/*.txt; do
		[ -f "$f" ] || continue
		cat "$f"
		printf '\n[  100.000000] random: crng init done\n'
	done >"$unit"
	per=$("$new" --format json "$unit" 2>/dev/null | wc -l)
	[ "$per" -gt 0 ] || { echo "no reports found under $shared or testdata/golden" >&2; exit 2; }
	reps=$(((n + per - 1) / per))
	for ((i = 0; i < reps; i++)); do cat "$unit"; done >"$out"
	rm -f "$unit"
	echo $((reps * per))
}

# timed BIN ARGS...: "cpu_s wall_s rss_mb" of one run (GNU time).
timed() {
	local t
	t=$(mktemp)
	/usr/bin/time -f '%U %S %e %M' -o "$t" "$@" >/dev/null 2>&1 || true
	awk '{printf "%.3f %.3f %d\n", $1 + $2, $3, $4 / 1024}' "$t"
	rm -f "$t"
}

# median of the numbers on stdin
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# column K (1 cpu, 2 wall, 3 rss) of FILE, median
col() { cut -d' ' -f"$1" "$2" | median; }
