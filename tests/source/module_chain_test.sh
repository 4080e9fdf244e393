#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A report whose access frame is an inline chain without the function it is
# inlined into (a module's frame, testdata/source/module-inline-chain.txt):
# the side says its translation unit is unknown, the batch goes on.
set -u
bin=$1 root=$2
tree=$root/tests/source/reloc
rep=$root/testdata/source/module-inline-chain.txt
out=$("$bin" --format json --rules "$root/rules" --src "$tree" "$rep" "$rep" 2>/dev/null)
rc=$?
fail=0
[ "$rc" = 0 ] || { echo "FAIL: exit $rc" >&2; fail=1; }
n=$(printf '%s\n' "$out" | grep -c '"verdict"')
[ "$n" = 2 ] || { echo "FAIL: $n verdicts for 2 reports" >&2; fail=1; }
printf '%s\n' "$out" | grep -q 'a: ext4_update_i_disksize is inlined into ext4_write_end, which has no file:line in the report' ||
	{ echo "FAIL: no note on side a" >&2; fail=1; }
exit $fail
