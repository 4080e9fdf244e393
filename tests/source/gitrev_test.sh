#!/usr/bin/env bash
# --src on a git work tree: each report is read at its own revision, from the
# object store. The test builds a small repository whose commits move and
# change a function and a struct (a member renamed, a header deleted, a
# function moved to another file), leaves its work tree dirty and a
# generated header untracked, and checks the revision, how it was chosen,
# the object and where each access was placed, for reports naming their
# revision every way a report can, in one batch; then the fallbacks.
set -u
bin=$1 work=$2
command -v git >/dev/null || { echo "SKIP: git not installed"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)
repo=$work/linux
fail=0 pass=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

g() { git -C "$repo" -c user.email=t@example.org -c user.name=t "$@"; }
mkdir -p "$repo/include/linux" "$repo/kernel"
g init -q .
printf 'VERSION = 6\nPATCHLEVEL = 8\nSUBLEVEL = 0\n' > "$repo/Makefile"

# c1 (v6.7): foo_write line 5 and foo_read line 10 touch count; OLD_SHIFT
# comes from a header later deleted.
cat > "$repo/include/linux/foo.h" <<'EOF'
#ifndef FOO_H
#define FOO_H
#include <linux/old.h>
struct foo {
	int count;
	int flags;
};
#endif
EOF
echo '#define OLD_SHIFT 2' > "$repo/include/linux/old.h"
cat > "$repo/kernel/foo.c" <<'EOF'
#include <linux/foo.h>

void foo_write(struct foo *f)
{
	f->count++;
}

int foo_read(struct foo *f)
{
	return f->count << OLD_SHIFT;
}
EOF
g add -A && g commit -qm c1 && g tag v6.7
c1=$(g rev-parse HEAD)

# c2 (next-20240301): count renamed cnt, old.h gone, both functions moved
# down and now touch flags.
g rm -q include/linux/old.h
cat > "$repo/include/linux/foo.h" <<'EOF'
#ifndef FOO_H
#define FOO_H
struct foo {
	int flags;
	int cnt;
};
#endif
EOF
cat > "$repo/kernel/foo.c" <<'EOF'
#include <linux/foo.h>

/* a comment
 * that moves
 * everything */
int foo_read(struct foo *f)
{
	return f->flags;
}

void foo_write(struct foo *f)
{
	f->flags |= 1;
}
EOF
g add -A && g commit -qm c2 && g tag next-20240301
c2=$(g rev-parse HEAD)

# c3: foo_write moved to kernel/bar.c, a member whose type a generated
# header (untracked, from the work tree) gives.
cat > "$repo/include/linux/foo.h" <<'EOF'
#ifndef FOO_H
#define FOO_H
#include <generated/foo_types.h>
struct foo {
	int flags;
	FOO_STATE_T state;
};
#endif
EOF
cat > "$repo/kernel/foo.c" <<'EOF'
#include <linux/foo.h>

long foo_read(struct foo *f)
{
	return f->state;
}
EOF
cat > "$repo/kernel/bar.c" <<'EOF'
#include <linux/foo.h>

void foo_write(struct foo *f, long v)
{
	f->state = v;
}
EOF
echo 'include/generated/' > "$repo/.gitignore"
g add -A && g commit -qm c3
c3=$(g rev-parse HEAD)
mkdir -p "$repo/include/generated"
echo '#define FOO_STATE_T long' > "$repo/include/generated/foo_types.h"
# a dirty work tree: lines inserted on top of every file read
for f in kernel/foo.c kernel/bar.c include/linux/foo.h; do
  printf '/* local edit */\n\n\n' | cat - "$repo/$f" > "$work/tmp" && mv "$work/tmp" "$repo/$f"
done

report() { # id kernel write-file:line read-file:line [HEAD commit]
  if [ -n "${5:-}" ]; then
    printf 'syzbot found the following issue on:\n\nHEAD commit:    %s Merge tag\ngit tree:       upstream\n\n' "$5"
  fi
  cat <<EOF
==================================================================
BUG: KCSAN: data-race in foo_read / foo_write

write to 0xffff888012345678 of 4 bytes by task 10 on cpu 0:
 foo_write+0x10/0x40 $3
 w_caller_$1+0x20/0x80

read to 0xffff888012345678 of 4 bytes by task 11 on cpu 1:
 foo_read+0x10/0x40 $4
 r_caller_$1+0x20/0x80

Reported by Kernel Concurrency Sanitizer on:
CPU: 1 PID: 11 Comm: t Not tainted $2 #1
==================================================================

EOF
}

{
  report hash "6.8.0-syzkaller-00001-g${c1:0:12}" kernel/foo.c:5 kernel/foo.c:10
  report next 6.8.0-rc3-next-20240301 kernel/foo.c:13 kernel/foo.c:8
  report tag 6.7.0 kernel/foo.c:5 kernel/foo.c:10
  report hash2 "6.8.0-syzkaller-00001-g${c1:0:12}-dirty" kernel/foo.c:5 kernel/foo.c:10
  report gone 6.8.0-syzkaller-00001-gdeadbeef1234 kernel/foo.c:5 kernel/foo.c:10
  report none 6.1.0-18-amd64 kernel/foo.c:5 kernel/foo.c:10
  # last: the HEAD commit line holds for the reports after it in the input
  report head 6.8.0-syzkaller kernel/bar.c:5 kernel/foo.c:5 "${c3:0:12}"
} > "$work/reports.txt"

# One line per report: rev rev_from source_tree object a.line b.line, then
# the notes of the source stage that say why the work tree was read.
summary() {
  python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    acc = r["accesses"]
    print(r["rev"], r["rev_from"], r["source_tree"], r["object"],
          acc[0]["placement"], acc[1]["placement"], sep="\t")
    for e in r["errors"]:
        if e["stage"] != "census" and "work tree" in e["message"]:
            print("note", e["message"], sep="\t")
'
}

check() { # what file expected
  if diff -u "$3" "$2" >&2; then ok; else bad "$1"; fi
}

"$bin" --src "$repo" --format json "$work/reports.txt" > "$work/out.json"
rc=$?
[ "$rc" = 0 ] && ok || bad "batch: exit $rc"
summary < "$work/out.json" > "$work/got.tsv"
cat > "$work/want.tsv" <<EOF
$c1	report-hash	exact	struct foo::count	line	line
$c2	next-tag	exact	struct foo::flags	line	line
$c1	release-tag	exact	struct foo::count	line	line
$c1	report-hash	exact	struct foo::count	line	line
None	None	too-far	None	None	None
note	commit deadbeef1234 not in $repo: fetch it, or pass --rev; the work tree is read
None	None	too-far	None	None	None
note	the report names no commit or release: the work tree of $repo is read (--rev REV reads a revision)
$c3	head-commit	exact	struct foo::state	line	line
EOF
check "each report read at its own revision" "$work/got.tsv" "$work/want.tsv"

# The same on two threads: the same answers in the same order.
"$bin" --src "$repo" --format json -j 2 "$work/reports.txt" | summary > "$work/got-j2.tsv"
check "-j 2" "$work/got-j2.tsv" "$work/want.tsv"

# The text output names the revision and how it was chosen.
"$bin" --src "$repo" "$work/reports.txt" > "$work/out.txt"
if grep -q "revision read: $c2 (next-tag)" "$work/out.txt" &&
   grep -q "source tree against the report's kernel: exact" "$work/out.txt"; then ok
else bad "text output: no revision line"; fi

# --rev names the revision for every report: the tree may not be the
# report's, so drift handling stays on and the tree is not called exact.
"$bin" --src "$repo" --rev next-20240301 --format json "$work/reports.txt" | summary |
  sed -n 1,2p > "$work/got-rev.tsv"
cat > "$work/want-rev.tsv" <<EOF
$c2	option	drifted	struct foo::flags	body	body
$c2	option	exact	struct foo::flags	line	line
EOF
sed -i '2s/exact/matches/' "$work/want-rev.tsv"
check "--rev" "$work/got-rev.tsv" "$work/want-rev.tsv"

"$bin" --src "$repo" --rev no-such-rev --format json "$work/reports.txt" | summary |
  sed -n 2p > "$work/got-norev.tsv"
printf 'note\trevision no-such-rev not in %s: fetch it, or pass --rev; the work tree is read\n' \
  "$repo" > "$work/want-norev.tsv"
check "--rev of a revision the repository lacks" "$work/got-norev.tsv" "$work/want-norev.tsv"

# A copy without .git is a plain tree: no revision, no note.
mkdir -p "$work/plain"
cp -r "$repo/include" "$repo/kernel" "$repo/Makefile" "$work/plain/"
"$bin" --src "$work/plain" --format json "$work/reports.txt" | summary | sed -n 1p |
  cut -f1,2 > "$work/got-plain.tsv"
printf 'None\tNone\n' > "$work/want-plain.tsv"
check "plain tree" "$work/got-plain.tsv" "$work/want-plain.tsv"

# --rev without a git tree is a usage error.
"$bin" --src "$work/plain" --rev HEAD "$work/reports.txt" > /dev/null 2> "$work/err.txt"
rc=$?
if [ "$rc" = 2 ] && grep -q -- "--rev needs a --src that is a git repository" "$work/err.txt"; then ok
else bad "--rev without a git tree: exit $rc"; cat "$work/err.txt" >&2; fi

echo "gitrev: $pass passed, $fail failed"
[ "$fail" = 0 ]
