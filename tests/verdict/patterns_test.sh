#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Full mode on the patterns fixture: a KCSAN kernel running eight in-kernel
# race workloads whose verdicts are known by construction (expect.tsv),
# with its vmlinux and exact source. The evidence has to come from the code
# (which writers hold which lock, which bits share a byte, what the reader
# does with the value); no rule knows the workloads' names.
#
# Asserts, per title of expect.tsv: no report decided against the expected
# verdict at medium or high confidence (a confident wrong answer), and the
# titles this build decides right, each with its object; then the totals.
# usage: patterns_test.sh KCSAN_TRIAGE SHARED_DIR WORK_DIR
bin=${1:?}
fix=${2:?}/fixtures/kcsan-6.1-patterns
work=${3:?}
[ -f "$fix/vmlinux.xz" ] || { echo "SKIP: $fix absent (the shared fixtures are not here)"; exit 77; }
set -e
mkdir -p "$work"
if [ ! -f "$work/src.unpacked" ]; then
	rm -rf "$work/src"
	"$fix/unpack-source.sh" "$work/src" >/dev/null
	touch "$work/src.unpacked"
fi
[ -f "$work/vmlinux" ] || { xz -dc "$fix/vmlinux.xz" >"$work/vmlinux.tmp" && mv "$work/vmlinux.tmp" "$work/vmlinux"; }
set +e
"$bin" --expect "$fix/expect.tsv" --vmlinux "$work/vmlinux" --src "$work/src" \
	--cache-dir "$work/cache" "$fix/reports/raw" >"$work/out" 2>"$work/err"
rc=$?
[ $rc -eq 0 ] || [ $rc -eq 1 ] || { echo "FAIL: exit $rc"; cat "$work/err"; exit 1; }
cat "$work/out"
fail=0
# a title line: TITLE REPORTS EXPECTED RIGHT OBJECT VERDICTS...; a wrong
# decision is the opposite verdict at medium or high
awk '/^KCSAN: / {
	for (i = 1; i <= NF; i++) if ($i ~ /^(benign|harmful)$/ && $(i + 1) ~ /^[0-9]+$/) { e = $i; break }
	bad = (e == "benign") ? "harmful/(medium|high)" : "benign/(medium|high)"
	if ($0 ~ bad) { print "FAIL: decided against " e ": " $0; f = 1 }
} END { exit f }' "$work/out" || fail=1
# the titles decided right on every report, with the object named
right() {
	grep -F "KCSAN: data-race in $1 " "$work/out" | grep -Eq " $2 +[0-9]+ +ok " || {
		echo "FAIL: $1 not right with its object"
		fail=1
	}
	n=$(grep -F "KCSAN: data-race in $1 " "$work/out" | awk '{for (i = 1; i <= NF; i++) if ($i == "'"$2"'") { print ($(i - 1) == $(i + 1)) ? "all" : "some"; exit }}')
	[ "$n" = all ] || { echo "FAIL: $1: not every report right ($n)"; fail=1; }
}
# a writer without the lock the other writers hold (census deviance)
right "rp_port_link_down / rp_port_reset" harmful
right "rp_port_link_down / rp_port_set_mtu" harmful
# a plain ++ on both sides, no lock
right "rp_id_alloc / rp_id_alloc" harmful
# a list link loaded plain without the list's lock the writers hold
right "rp_list_enqueue / rp_list_steal" harmful
right "rp_list_dequeue / rp_list_steal" harmful
# two bitfields of one byte under two locks (census neighbours)
right "rp_ctl_enable / rp_ctl_pause" harmful
# statistics read only to be printed
right "rp_xmit_fast / rp_xmit_slow" benign
right "rp_show_stats / rp_xmit_fast" benign
# a lockless test read again under the writers' lock
right "rp_pool_get / rp_pool_put" benign
# a clock stored and compared (the object is the field, not jiffies)
right "rp_conn_idle / rp_conn_touch" benign
# set once on an init path before publication
right "rp_cfg_init / rp_cfg_mode" benign
grep -q "^titles right at medium+ (every report of the title): 11 of 11" "$work/out" ||
	{ echo "FAIL: titles right at medium+ changed"; fail=1; }
exit $fail
