#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Evaluation of the shipped rules on real reports, in three modes:
#   1. the labeled dev corpus, report only          (--eval)
#   2. the labeled dev corpus with kernel trees     (--eval --src T1 --src T2:
#      each report read against the tree nearest its kernel)
#   3. the fixture kernel's reports with its vmlinux and source: how many
#      got an object, a lockset on both sides, and a decided verdict
#      (the fixture reports carry no labels).
# It prints the confusion matrices, the figures by set (all reports and the
# two fixed halves of the corpus) and by rule, and the coverage figures. It
# fails only when kcsan-triage crashes or its --eval output lacks a part it
# must print; the figures themselves are for people to read, never a
# pass/fail line.
#
# usage: eval.sh KCSAN_TRIAGE SHARED_DIR [LINUX_SRC[:LINUX_SRC...]] [VMLINUX FIXTURE_SRC]
#   LINUX_SRC     prepared kernel trees for mode 2, separated by ':' (those
#                 absent are skipped, saying so; mode 2 is skipped without any)
#   VMLINUX, FIXTURE_SRC  the fixture's unpacked vmlinux and source for
#                 mode 3 (skipped if absent)
# Exit: 0 done, 1 crash or malformed output, 77 SHARED_DIR absent.
set -u

bin=${1:?usage: eval.sh KCSAN_TRIAGE SHARED_DIR [LINUX_SRC] [VMLINUX FIXTURE_SRC]}
shared=${2:?usage: eval.sh KCSAN_TRIAGE SHARED_DIR [LINUX_SRC] [VMLINUX FIXTURE_SRC]}
linux_src=${3:-}
vmlinux=${4:-}
fixture_src=${5:-}
labels=$shared/corpus/dev/labels.tsv
fixture=$shared/fixtures/kcsan-6.1/reports/raw
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kt-eval.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

if [ ! -f "$labels" ]; then
	echo "eval: skipped: $labels is absent"
	exit 77
fi

# run NAME CMD...: runs CMD with output in $tmp/NAME.out; a crash (signal)
# or a usage/input error (exit 2) fails the evaluation.
run() {
	name=$1
	shift
	"$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
	rc=$?
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
		echo "eval: FAIL: $name: exit status $rc" >&2
		tail -n 20 "$tmp/$name.err" >&2
		fail=1
		return 1
	fi
	return 0
}

# check_eval NAME: the --eval output has every part it promises.
check_eval() {
	out=$tmp/$1.out
	for want in '^confusion matrix' '^benign  *[0-9][0-9]*  *[0-9][0-9]*  *[0-9][0-9]*$' \
		'^harmful  *[0-9][0-9]*  *[0-9][0-9]*  *[0-9][0-9]*$' '^reports: [0-9]' \
		'^decided: [0-9]' '^accuracy of decided: ' '^high-confidence benign on harmful-labeled: [0-9]' \
		'^per rule:' '^all  *[0-9][0-9]* |' '^A (rules)  *[0-9][0-9]* |' \
		'^B (held out)  *[0-9][0-9]* |' '^unknown with a lean: ' '^suspect rules '; do
		if ! grep -q -- "$want" "$out"; then
			echo "eval: FAIL: $1: no line matching /$want/ in the --eval output" >&2
			fail=1
		fi
	done
	# One result line per labeled report.
	want=$(tail -n +2 "$labels" | grep -c .)
	got=$(grep -c '^kcsan-[0-9]' "$out")
	if [ "$got" -ne "$want" ]; then
		echo "eval: FAIL: $1: $got result lines for $want labeled reports" >&2
		fail=1
	fi
}

summary() {
	sed -n '/^confusion matrix/,/^high-confidence/p' "$tmp/$1.out"
	echo
	sed -n '/^figures by set/,/^unknown with a lean/p' "$tmp/$1.out"
}

# by_rule NAME: the per-rule figures.
by_rule() {
	echo
	sed -n '/^by rule:/,/^suspect rules/p' "$tmp/$1.out"
}

# coverage FILE: what the stages established on JSON results (unlabeled).
coverage() {
	awk '
		{ n++; match($0, /"verdict":"[a-z]*","confidence":"[a-z]*"/)
		  vc = substr($0, RSTART, RLENGTH) }
		/"object":"/ { obj++ }
		{ c = gsub(/"locks":\[/, "&"); if (c >= 2) both++ }
		vc ~ /"benign"/ { b++ }
		vc ~ /"harmful"/ { h++ }
		vc ~ /"unknown"/ { u++ }
		vc ~ /"(benign|harmful)","confidence":"high"/ { hi++ }
		vc ~ /"(benign|harmful)","confidence":"medium"/ { me++ }
		END {
			if (!n) n = 1
			printf "  reports %d; object named %d (%.0f%%); both locksets %d (%.0f%%)\n", n, obj, 100 * obj / n, both, 100 * both / n
			printf "  decided %d (%.0f%%): benign %d, harmful %d, unknown %d; high confidence %d, medium %d\n", b + h, 100 * (b + h) / n, b, h, u, hi, me
		}
	' "$1"
}

echo "== 1. dev corpus, report only"
if run report-only "$bin" --eval "$labels"; then
	check_eval report-only
	summary report-only
fi

# The trees of mode 2 that are there, as --src options.
set --
trees=
old_ifs=$IFS
IFS=:
for t in $linux_src; do
	if [ -d "$t" ]; then
		set -- "$@" --src "$t"
		trees="$trees $t"
	elif [ -n "$t" ]; then
		echo "eval: kernel tree $t is absent: mode 2 goes without it"
	fi
done
IFS=$old_ifs

echo
if [ $# -gt 0 ]; then
	echo "== 2. dev corpus, each report with the nearest of:$trees"
	if run with-source "$bin" --eval "$labels" "$@"; then
		check_eval with-source
		summary with-source
		by_rule with-source
		echo "reports read against each tree:"
		awk '/^kcsan-[0-9]/ && NF >= 9 { n[$NF]++ } END { for (t in n) printf "  %s %d\n", t, n[t] }' \
			"$tmp/with-source.out" | sort
		# What the source stage established on these reports.
		"$bin" "$@" --format json "$shared/corpus/dev/reports" \
			>"$tmp/dev-src.jsonl" 2>/dev/null
		awk '
			{ n++; match($0, /"verdict":"[a-z]*"/); v = substr($0, RSTART + 11, RLENGTH - 12) }
			/"object":"/ { obj++ }
			/"locks":\[/ { lk++ }
			/"source_tree":"drifted"/ { drift++ }
			/"source_tree":"too-far"/ { far++ }
			/"stage":"source","message":"[ab]: [^"]*did not parse cleanly/ { unparsed++ }
			v == "benign" || v == "harmful" { dec++ }
			END {
				printf "source facts on the dev corpus: %d reports, object named %d, a lockset (possibly empty) on at least one side %d, decided %d\n", n, obj, lk, dec
				printf "the tree against the reports kernels: drifted (placed by function name and body) on %d reports, too far on %d; a TU did not parse cleanly on %d\n", drift, far, unparsed
			}
		' "$tmp/dev-src.jsonl"
		echo "verdicts that changed from report only:"
		awk 'NR == FNR && /^kcsan-/ { v[$1] = $3 "/" $4 "/" $5; next }
			/^kcsan-/ && ($1 in v) && v[$1] != $3 "/" $4 "/" $5 {
				printf "  %s (%s): %s -> %s/%s/%s\n", $1, $2, v[$1], $3, $4, $5 }' \
			"$tmp/report-only.out" "$tmp/with-source.out"
	fi
else
	echo "== 2. dev corpus with a kernel tree: skipped (no LINUX_SRC given, or none of ${linux_src:-them} is there)"
fi

echo
if [ -n "$vmlinux" ] && [ -f "$vmlinux" ] && [ -d "$fixture_src" ] && [ -d "$fixture" ]; then
	echo "== 3. fixture reports: report only, with --vmlinux, with --vmlinux and --src"
	run fixture-report "$bin" --format json "$fixture"
	run fixture-vmlinux "$bin" --vmlinux "$vmlinux" --cache-dir "$tmp/cache" --format json "$fixture"
	if run fixture "$bin" --vmlinux "$vmlinux" --src "$fixture_src" --cache-dir "$tmp/cache" \
		--format json "$fixture"; then
		if ! grep -q '"verdict":' "$tmp/fixture.out"; then
			echo "eval: FAIL: fixture: no JSON result" >&2
			fail=1
		fi
		for mode in fixture-report fixture-vmlinux fixture; do
			[ -s "$tmp/$mode.out" ] || continue
			echo "-- $mode"
			coverage "$tmp/$mode.out"
		done
		echo "by rule, with --vmlinux and --src:"
		sed -n 's/.*"verdict":"\([a-z]*\)","confidence":"\([a-z]*\)","rule":"\{0,1\}\([^",]*\)"\{0,1\},.*/\3 \1 \2/p' \
			"$tmp/fixture.out" | sort | uniq -c | sort -rn | sed 's/^/  /'
	fi
else
	echo "== 3. fixture reports with --vmlinux and --src: skipped (VMLINUX/FIXTURE_SRC not given or absent)"
fi

exit $fail
