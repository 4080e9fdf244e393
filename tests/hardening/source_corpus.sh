#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every report of the shared corpora (dev, unlabeled, the LLM cross-check's)
# and of the fixtures (raw, symbolized, decoded) classified with --src at
# TREE, one batch per set, under whatever sanitizers BIN was built with: a
# mismatched tree drives the source stage's fallbacks. Each batch must give
# as many verdicts as the same batch without --src (no report takes another
# down) and no sanitizer report; a crash, a hang (TIMEOUT seconds a batch)
# or an exit status other than 0 or 2 (a report that cannot be read is named
# and the batch goes on) fails. With VMLINUX,
# the fixture's raw reports are read once more through it.
#
# usage: source_corpus.sh BIN TREE [VMLINUX]
# environment: KT_SHARED_DIR (default: ../shared beside the checkout),
#              KT_SOURCE_CORPUS_JOBS (-j, default 2), KT_SOURCE_CORPUS_TIMEOUT (1800)
set -uo pipefail
bin=${1:?usage: source_corpus.sh BIN TREE [VMLINUX]}
tree=${2:?usage: source_corpus.sh BIN TREE [VMLINUX]}
vmlinux=${3:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
shared=${KT_SHARED_DIR:-$root/../shared}
jobs=${KT_SOURCE_CORPUS_JOBS:-2}
limit=${KT_SOURCE_CORPUS_TIMEOUT:-1800}
[ -d "$shared/corpus" ] || { echo "source_corpus: $shared/corpus absent, skipping"; exit 77; }
[ -d "$tree" ] || { echo "source_corpus: no tree at $tree, skipping"; exit 77; }
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/lsan.supp}
work=$(mktemp -d "${TMPDIR:-/tmp}/kt-source-corpus-XXXXXX")
trap 'rm -rf "$work"' EXIT

sets=()
for d in "$shared"/corpus/*/reports "$shared"/corpus/unlabeled "$shared"/fixtures/*/reports/*/; do
	[ -d "$d" ] && sets+=("${d%/}")
done
llm=$(ls "$shared"/corpus/llm/*.report.txt 2>/dev/null)

fail=0 total=0 start=$SECONDS
batch() { # name args... (the last $inputs arguments are the inputs)
	local name=$1 rc n want t0=$SECONDS
	shift
	want=$("$bin" --format json --fail-on never --rules "$root/rules" "${@: -$inputs}" 2>/dev/null |
		grep -c '"verdict"')
	timeout "$limit" "$bin" --format json --fail-on never -j "$jobs" --rules "$root/rules" "$@" \
		>"$work/out" 2>"$work/err"
	rc=$?
	n=$(grep -c '"verdict"' "$work/out")
	total=$((total + n))
	if [ "$rc" != 0 ] && [ "$rc" != 2 ]; then
		echo "FAIL: $name: exit $rc" >&2
		tail -40 "$work/err" >&2
		fail=1
	elif grep -qE "ERROR: (Address|Leak)Sanitizer|runtime error:" "$work/err"; then
		echo "FAIL: $name: sanitizer report" >&2
		grep -E -A20 "ERROR: (Address|Leak)Sanitizer|runtime error:" "$work/err" | head -60 >&2
		fail=1
	elif [ "$n" -eq 0 ] || [ "$n" != "$want" ]; then
		echo "FAIL: $name: $n verdicts with --src, $want without" >&2
		fail=1
	else
		echo "$name: $n reports, $(grep -c '"source_tree_dir":"' "$work/out") read in the tree," \
			"$(grep -c 'src.incomplete\|source stage is incomplete' "$work/out") incomplete, exit $rc," \
			"$((SECONDS - t0)) s"
	fi
}
for s in "${sets[@]}"; do
	inputs=1
	batch "${s#"$shared"/}" --src "$tree" "$s"
done
if [ -n "$llm" ]; then
	inputs=$(wc -w <<<"$llm")
	# shellcheck disable=SC2086
	batch corpus/llm --src "$tree" $llm
fi
if [ -n "$vmlinux" ] && [ -f "$vmlinux" ]; then
	for s in "$shared"/fixtures/*/reports/raw; do
		inputs=1
		batch "${s#"$shared"/} with the vmlinux" --src "$tree" --vmlinux "$vmlinux" --no-cache "$s"
	done
fi
echo "source_corpus: $total reports in $((SECONDS - start)) s"
exit $fail
