#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The measurement side of the command line on a small synthetic corpus whose
# figures are known by hand: several --src trees (each report read against
# the nearest), the --eval figures by set and by rule, the lean of unknown
# verdicts and --min-confidence, the gate on decided verdicts only, and
# --expect. The rule set is data/lean-rules: each rule matches the reports
# whose first access function names its case.
#
# usage: cli_eval_test.sh KCSAN_TRIAGE SOURCE_DIR WORK_DIR
set -u
bin=$1 root=$2 work=$3
rules=$root/tests/eval/data/lean-rules
rm -rf "$work"
mkdir -p "$work/reports" "$work/t61" "$work/t612" "$work/plain"
fail=0 pass=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
expect_rc() { # want got what
	if [ "$1" = "$2" ]; then ok; else bad "$3: exit $2, expected $1"; fi
}
# has FILE LINE WHAT: FILE has LINE, blanks squeezed, exactly.
has() {
	if tr -s ' ' <"$1" | grep -qxF -- "$2"; then ok; else
		bad "$3: no line '$2'"
		tr -s ' ' <"$1" >&2
	fi
}
contains() { # file pattern what
	if grep -q -- "$2" "$1"; then ok; else bad "$3: '$2' not in output"; cat "$1" >&2; fi
}

printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 192\nEXTRAVERSION =\n' >"$work/t61/Makefile"
printf 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 118\nEXTRAVERSION =\n' >"$work/t612/Makefile"

# report ID FUNC DIR KERNEL: a symbolized report whose first access is in
# FUNC, in DIR (a kernel source directory), printed by KERNEL.
report() {
	cat >"$work/reports/$1.txt" <<R
==================================================================
BUG: KCSAN: data-race in $2 / other_func

write to 0xffff888012345678 of 4 bytes by task 10 on cpu 0:
 $2+0x10/0x40 $3/a.c:12
 caller_a+0x20/0x80 $3/b.c:40

read to 0xffff888012345678 of 4 bytes by task 11 on cpu 1:
 other_func+0x10/0x40 $3/a.c:20
 caller_b+0x20/0x80 $3/c.c:50

Reported by Kernel Concurrency Sanitizer on:
CPU: 1 PID: 11 Comm: t Not tainted $4 #1
==================================================================
R
}

# id, function (the rule case), directory, kernel; the halves of r1..r8
# (FNV-1a of the id) are A B A B A B A B.
report r1 low_benign fs/ext4 5.4.0-rc3+
report r2 medium_benign fs/ext4 6.8.0-syzkaller-08073-g480e035fc4c7
report r3 medium_harmful mm syzkaller
report r4 unknown_above net/ipv4 syzkaller
report r5 conflict net/ipv4 6.5.0-rc6-syzkaller
report r6 medium_harmful mm 6.15.0-rc5
report r7 medium_benign net/ipv4 6.1.0-rc1
report r8 unknown_two net/ipv4 6.12.0-rc7
printf 'id\ttitle\tlabel\tkernel_version_or_commit\n' >"$work/labels.tsv"
for row in r1:benign:- r2:benign:- r3:benign:6.3.0-rc7 r4:harmful:fix:0123456789ab \
	r5:harmful:- r6:harmful:- r7:harmful:- r8:harmful:-; do
	id=${row%%:*} rest=${row#*:}
	printf '%s\tKCSAN: data-race\t%s\t%s\n' "$id" "${rest%%:*}" "${rest#*:}" >>"$work/labels.tsv"
done

# 1. --eval: the figures by set, computed by hand. Decided r1 r2 r3 r6 r7,
#    right r1 r2 r6; medium+ r2 r3 r6 r7, right r2 r6; r7 is harmful called
#    benign at medium. Half A = r1 r3 r5 r7, half B = r2 r4 r6 r8.
#    --min-confidence low: the low-confidence decisions count.
"$bin" --rules "$rules" --eval "$work/labels.tsv" --src "$work/t612" --src "$work/t61" --min-confidence low \
	>"$work/eval.out" 2>"$work/eval.err"
expect_rc 0 $? "--eval"
has "$work/eval.out" "all 8 | 5 62.5% 3 60.0% | 4 50.0% 2 50.0% | 0 0.0% 0 0.0% | 1 of 5 20.0%" \
	"figures, all"
has "$work/eval.out" "A (rules) 4 | 3 75.0% 1 33.3% | 2 50.0% 0 0.0% | 0 0.0% 0 0.0% | 1 of 2 50.0%" \
	"figures, half A"
has "$work/eval.out" "B (held out) 4 | 2 50.0% 2 100.0% | 2 50.0% 2 100.0% | 0 0.0% 0 0.0% | 0 of 3 0.0%" \
	"figures, half B"
# r4 leans benign (harmful-labeled), r8 leans harmful; r5 is a conflict, no lean.
has "$work/eval.out" "unknown with a lean: all 2 (lean as labeled 1), A 0 (0), B 2 (1)" "leans"
# The lines the other evaluations parse are still there.
for want in "reports: 8 (missing 0)" "decided: 5 of 8 (62.5%)" "accuracy of decided: 3 of 5 (60.0%)" \
	"high-confidence benign on harmful-labeled: 0"; do
	has "$work/eval.out" "$want" "summary"
done
contains "$work/eval.out" "^per rule:" "per rule block"
# By rule: high, medium, low, unknown b/h, precision, held out, subsystems.
has "$work/eval.out" " lb 0/0 0/0 1/0 0/0 100.0% 0/0 fs/ext4:1" "rule lb"
has "$work/eval.out" " mb 0/0 1/1 0/0 0/0 50.0% 1/0 fs/ext4:1 net/ipv4:1" "rule mb"
has "$work/eval.out" " mh 0/0 1/1 0/0 0/0 50.0% 1/0 mm:2" "rule mh"
has "$work/eval.out" " conflict 0/0 0/0 0/0 0/1 - 0/0 -" "conflict"
has "$work/eval.out" "suspect rules (decided reports of fewer than two known subsystems): lb, mh" \
	"suspects"
# Per report: half, subsystem, lean, and the tree read: the report's kernel
# first, then the labels' column, else the first --src (t612).
awk '$1 ~ /^r[0-9]$/ { print $1, $6, $7, $8, $NF }' "$work/eval.out" >"$work/rows"
for want in "r1 A fs/ext4 - t61" "r2 B fs/ext4 - t612" "r3 A mm - t61" \
	"r4 B net/ipv4 lean-benign t612" "r5 A net/ipv4 - t61" "r6 B mm - t612" \
	"r7 A net/ipv4 - t61" "r8 B net/ipv4 lean-harmful t612"; do
	has "$work/rows" "$want" "per-report line"
done

# 2. --min-confidence medium: r1 (benign at low) becomes unknown, leaning
#    benign; nothing else moves.
"$bin" --rules "$rules" --eval "$work/labels.tsv" --min-confidence medium >"$work/eval-m.out" 2>&1
expect_rc 0 $? "--eval --min-confidence medium"
has "$work/eval-m.out" "all 8 | 4 50.0% 2 50.0% | 4 50.0% 2 50.0% | 0 0.0% 0 0.0% | 1 of 5 20.0%" \
	"figures with a minimum"
has "$work/eval-m.out" "unknown with a lean: all 3 (lean as labeled 2), A 1 (1), B 2 (1)" \
	"leans with a minimum"
has "$work/eval-m.out" " lb 0/0 0/0 0/0 1/0 - 0/0 -" "rule lb with a minimum"
"$bin" --rules "$rules" --min-confidence certain "$work/reports/r1.txt" >/dev/null 2>"$work/e"
expect_rc 2 $? "--min-confidence certain refused"
contains "$work/e" "min-confidence" "--min-confidence named"

# 3. The tree each report is read against, in JSON and text.
"$bin" --rules "$rules" --src "$work/t612" --src "$work/t61" --format json \
	"$work/reports/r1.txt" "$work/reports/r2.txt" "$work/reports/r4.txt" "$work/reports/r5.txt" \
	>"$work/trees.json" 2>/dev/null
expect_rc 0 $? "several --src"
sed -n 's/.*"source_tree_dir":"\([^"]*\)".*/\1/p' "$work/trees.json" >"$work/trees"
printf '%s\n' "$work/t61" "$work/t612" "$work/t612" "$work/t61" | cmp -s - "$work/trees" && ok ||
	bad "trees chosen: $(tr '\n' ' ' <"$work/trees")"
contains "$work/trees.json" '"source_tree_choice":"the report names no kernel version: the first tree given (6.12.118)"' \
	"choice without a version"
"$bin" --rules "$rules" --src "$work/t612" --src "$work/t61" "$work/reports/r5.txt" \
	>"$work/trees.txt" 2>/dev/null
contains "$work/trees.txt" "source tree read: $work/t61, nearest the report's kernel 6.5.0-rc6-syzkaller (6.12.118: 6 releases away, 6.1.192: 4 releases away)" \
	"text names the tree read"
# Without --src, no tree.
"$bin" --rules "$rules" --format json "$work/reports/r1.txt" >"$work/notree.json" 2>/dev/null
contains "$work/notree.json" '"source_tree_dir":null,"source_tree_choice":null' "no --src"
# Of several trees, one without a top Makefile is refused, named; a single
# tree needs none.
"$bin" --rules "$rules" --src "$work/t61" --src "$work/plain" "$work/reports/r1.txt" \
	>/dev/null 2>"$work/e"
expect_rc 2 $? "a tree without a version among several"
contains "$work/e" "plain/Makefile" "the tree's Makefile named"
"$bin" --rules "$rules" --src "$work/plain" "$work/reports/r1.txt" >/dev/null 2>&1
expect_rc 0 $? "a single tree without a Makefile"

# 4. Lean in the output, and the gate: --fail-on harmful trips on decided
#    harmful verdicts only; --fail-on unknown on anything not benign.
r6=$work/reports/r6.txt
"$bin" --rules "$rules" --fail-on harmful "$r6" >/dev/null 2>&1
expect_rc 1 $? "--fail-on harmful on a decided harmful verdict"
"$bin" --rules "$rules" --min-confidence high --fail-on harmful "$r6" >/dev/null 2>&1
expect_rc 0 $? "--fail-on harmful on unknown leaning harmful"
"$bin" --rules "$rules" --min-confidence high --fail-on unknown "$r6" >/dev/null 2>&1
expect_rc 1 $? "--fail-on unknown on unknown leaning harmful"
"$bin" --rules "$rules" --fail-on harmful "$work/reports/r8.txt" >/dev/null 2>&1
expect_rc 0 $? "--fail-on harmful on an unknown rule above a harmful one"
"$bin" --rules "$rules" --min-confidence high --format json "$r6" >"$work/lean.json" 2>/dev/null
contains "$work/lean.json" '"verdict":"unknown","confidence":"low","rule":"mh","lean":"harmful","lean_reasons":\["mh (harmful, medium, priority 40) won, but decided at medium confidence, below the minimum for a decision (high)"\]' \
	"JSON lean"
"$bin" --rules "$rules" --format json "$work/reports/r2.txt" >"$work/decided.json" 2>/dev/null
contains "$work/decided.json" '"lean":null,"lean_reasons":\[\]' "JSON lean of a decided verdict"
"$bin" --rules "$rules" "$work/reports/r4.txt" >"$work/lean.txt" 2>/dev/null
contains "$work/lean.txt" "^  Lean: benign$" "text lean"
contains "$work/lean.txt" "^    ua-benign (benign, high, priority 40) matched below ua-unknown (unknown, priority 90)$" \
	"text lean reason"
"$bin" --rules "$rules" "$work/reports/r5.txt" >"$work/conflict.txt" 2>/dev/null
contains "$work/conflict.txt" "^  Lean: none (the benign and harmful rules that matched disagree)$" \
	"text lean of a conflict"

# 5. --expect: per title, reports decided as expected at medium or high.
printf 'pattern\tfunc1\tfunc2\tverdict\tobject\n' >"$work/expect.tsv"
printf 'p1\tmedium_benign\tother_func\tbenign\tstruct foo::bar (int)\n' >>"$work/expect.tsv"
printf 'p2\tmedium_harmful\tother_func\tharmful\t\n' >>"$work/expect.tsv"
printf 'p3\tlow_benign\tother_func\tbenign\t\n' >>"$work/expect.tsv"
printf 'p4\tnever_seen\tother_func\tharmful\t\n' >>"$work/expect.tsv"
"$bin" --rules "$rules" --expect "$work/expect.tsv" "$work/reports" >"$work/expect.out" 2>&1
expect_rc 0 $? "--expect"
has "$work/expect.out" "KCSAN: data-race in medium_benign / other_func 2 benign 2 wrong benign/medium:2; (none)" \
	"expect row with an object not named"
has "$work/expect.out" "KCSAN: data-race in medium_harmful / other_func 2 harmful 2 - harmful/medium:2; (none)" \
	"expect row"
has "$work/expect.out" "titles right at medium+ (every report of the title): 2 of 4 (3 seen)" \
	"expect titles"
has "$work/expect.out" "reports right at medium+: 4 of 5 (80.0%)" "expect reports"
has "$work/expect.out" "objects right (every report of the title): 0 of 1" "expect objects"
has "$work/expect.out" "title not in the expect file: KCSAN: data-race in unknown_above / other_func" \
	"unexpected title"
mkdir -p "$work/empty"
"$bin" --rules "$rules" --expect "$work/expect.tsv" "$work/empty" >"$work/expect-empty.out" 2>&1
expect_rc 0 $? "--expect on an empty directory"
has "$work/expect-empty.out" "titles right at medium+ (every report of the title): 0 of 4 (0 seen)" \
	"expect on no reports"
printf 'title\tverdict\nKCSAN: x\tmaybe\n' >"$work/bad.tsv"
"$bin" --rules "$rules" --expect "$work/bad.tsv" "$work/reports" >/dev/null 2>"$work/e"
expect_rc 2 $? "--expect with a bad verdict"
contains "$work/e" "bad.tsv:2" "bad expect row named with file:line"

echo "cli_eval: $pass passed, $fail failed"
[ "$fail" = 0 ]
