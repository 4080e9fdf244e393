#!/usr/bin/env bash
# The census of a git --src at the revision the source stage reads: a small
# repository whose commits change the writers of struct foo::count (a
# writer loses its lock, gets it back, a reader becomes marked) and whose
# work tree differs from every commit. Each report's census facts must be
# those of its own revision; the revision's index is kept in the cache and
# reused (a delta over the first revision's: only the changed files read
# again); the work tree's index is left alone.
set -u
triage=$1 census=$2 work=$3
command -v git >/dev/null || { echo "SKIP: git not installed"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
rm -rf "$work"
mkdir -p "$work"
work=$(cd "$work" && pwd)
repo=$work/linux cache=$work/cache
fail=0 pass=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { # what got want
  if diff -u "$3" "$2" >&2; then ok; else bad "$1"; fi
}

g() { git -C "$repo" -c user.email=t@example.org -c user.name=t "$@"; }
mkdir -p "$repo/include/linux" "$repo/kernel"
g init -q .
printf 'VERSION = 6\nPATCHLEVEL = 8\nSUBLEVEL = 0\n' > "$repo/Makefile"
cat > "$repo/include/linux/foo.h" <<'EOF'
#ifndef FOO_H
#define FOO_H
typedef struct { int x; } spinlock_t;
void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
#define READ_ONCE(x) (*(const volatile typeof(x) *)&(x))
struct foo {
	spinlock_t lock;
	int count;
};
#endif
EOF
# kernel/foo.c: foo_inc (line 6) and foo_read (line 12) stay put; $1 is
# foo_read's value, $2 and $3 what foo_set and foo_reset take around their
# stores.
foo_c() {
  cat <<EOF
#include <linux/foo.h>

void foo_inc(struct foo *f)
{
	spin_lock(&f->lock);
	f->count++;
	spin_unlock(&f->lock);
}

int foo_read(struct foo *f)
{
	return $1;
}

void foo_set(struct foo *f, int v)
{
	$2
	f->count = v;
	$3
}

void foo_reset(struct foo *f)
{
	$4
	f->count = 0;
	$5
}
EOF
}
L='spin_lock(&f->lock);' U='spin_unlock(&f->lock);'
commit() { g add -A && g commit -qm "$1" && g rev-parse HEAD; }
# c1: every writer under the lock
foo_c 'f->count' "$L" "$U" "$L" "$U" > "$repo/kernel/foo.c"
c1=$(commit c1)
# c2: foo_reset without it (a deviant writer)
foo_c 'f->count' "$L" "$U" '' '' > "$repo/kernel/foo.c"
c2=$(commit c2)
# c3: the lock back, and foo_read marked
foo_c 'READ_ONCE(f->count)' "$L" "$U" "$L" "$U" > "$repo/kernel/foo.c"
c3=$(commit c3)
# the work tree: foo_set and foo_reset unlocked, and an untracked writer
foo_c 'f->count' '' '' '' '' > "$repo/kernel/foo.c"
printf '#include <linux/foo.h>\n\nvoid foo_zap(struct foo *f)\n{\n\tf->count = 5;\n}\n' \
  > "$repo/kernel/zap.c"

report() { # kernel release
  cat <<EOF
==================================================================
BUG: KCSAN: data-race in foo_inc / foo_read

write to 0xffff888012345678 of 4 bytes by task 10 on cpu 0:
 foo_inc+0x10/0x40 kernel/foo.c:6
 w_caller+0x20/0x80

read to 0xffff888012345678 of 4 bytes by task 11 on cpu 1:
 foo_read+0x10/0x40 kernel/foo.c:12
 r_caller+0x20/0x80

Reported by Kernel Concurrency Sanitizer on:
CPU: 1 PID: 11 Comm: t Not tainted $1 #1
==================================================================

EOF
}
for c in "$c1" "$c2" "$c3"; do report "6.8.0-syzkaller-00001-g${c:0:12}"; done > "$work/revs.txt"
report 6.1.0-18-amd64 > "$work/disk.txt"

# The facts of the census, one line per report (a report's block of
# --format facts starts at its title line).
facts() {
  awk '/^[^ ].*: KCSAN: data-race/ { if (n++) print line; line = "" }
       $1 == "census.writers" || $1 == "census.writer_lock_pct" ||
       $1 == "census.deviants" || $1 == "census.marked" { line = line $1 "=" $3 " " }
       END { print line }'
}
# The index files of the cache and their identity: a file written again
# is a new inode.
cache_state() { (cd "$cache" && stat -c '%n %i %Y %s' census-* | sort); }
stats() { "$census" --src "$repo" --cache-dir "$cache" --stats "$@" 'struct foo::count' 2>&1 >/dev/null |
  sed -n 's/.*structs, [0-9]* bytes, \([^,]*\), \([0-9]*\) files read.*/\1, \2 read/p'; }

# The work tree's index first, to see that the revisions leave it alone.
stats > "$work/got-disk0.txt"
echo "built, 3 read" > "$work/want-disk0.txt"
check "the work tree's index built" "$work/got-disk0.txt" "$work/want-disk0.txt"
disk_idx=$(cd "$cache" && ls census-*.idx)
disk_before=$(cd "$cache" && stat -c '%i %Y' "$disk_idx")

# The first revision: built from the object store; the next one: a delta,
# only the changed file read; both again: nothing read.
{ stats --rev "$c1"; stats --rev "$c2"; stats --rev "$c1"; stats --rev "$c2"; } > "$work/got-stats.txt"
printf 'built, 2 read\nfrom the cache, 1 read\nfrom the cache, 0 read\nfrom the cache, 0 read\n' \
  > "$work/want-stats.txt"
check "a revision's index: built, a delta, reused" "$work/got-stats.txt" "$work/want-stats.txt"

# Each report's census facts are those of its own revision.
"$triage" --src "$repo" --cache-dir "$cache" --format facts "$work/revs.txt" "$work/disk.txt" |
  facts > "$work/got-facts.txt"
cat > "$work/want-facts.txt" <<'EOF'
census.writers=3 census.marked=0 census.writer_lock_pct=100 census.deviants=0 
census.writers=3 census.marked=0 census.writer_lock_pct=66 census.deviants=1 
census.writers=3 census.marked=1 census.writer_lock_pct=100 census.deviants=0 
census.writers=4 census.marked=0 census.writer_lock_pct=25 census.deviants=0 
EOF
check "census facts at each report's revision" "$work/got-facts.txt" "$work/want-facts.txt"

# JSON: the census says the revision it read, the same as the source
# stage's; no note that it read the work tree instead.
"$triage" --src "$repo" --cache-dir "$cache" --format json "$work/revs.txt" "$work/disk.txt" |
  python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    notes = [e["message"] for e in r["errors"] if e["stage"] == "census"]
    print(r["rev"], r["census"]["rev"], len(notes), sep="\t")
' > "$work/got-json.txt"
printf '%s\t%s\t0\n' "$c1" "$c1" "$c2" "$c2" "$c3" "$c3" None None > "$work/want-json.txt"
check "JSON: the census's revision" "$work/got-json.txt" "$work/want-json.txt"

"$triage" --src "$repo" --cache-dir "$cache" "$work/revs.txt" > "$work/out.txt"
if grep -q "read at revision $c2" "$work/out.txt"; then ok
else bad "text output: no census revision line"; fi

# A second run reads every revision's index from the cache: no file written.
before=$(cache_state)
"$triage" --src "$repo" --cache-dir "$cache" --format facts "$work/revs.txt" "$work/disk.txt" |
  facts > "$work/got-facts2.txt"
check "second run: same facts" "$work/got-facts2.txt" "$work/want-facts.txt"
after=$(cache_state)
if [ "$before" = "$after" ]; then ok
else bad "second run wrote the cache"; diff <(echo "$before") <(echo "$after") >&2; fi

# The work tree's index: not written by the revisions, still its own.
if [ "$(cd "$cache" && stat -c '%i %Y' "$disk_idx")" = "$disk_before" ]; then ok
else bad "the work tree's index was written again"; fi
stats > "$work/got-disk1.txt"
echo "from the cache, 0 read" > "$work/want-disk1.txt"
check "the work tree's index reused" "$work/got-disk1.txt" "$work/want-disk1.txt"

# A revision too far from the first one for a delta (more than 1000 files
# differ) gets an index of its own; the repository's first index stays, and
# so do the other revisions' deltas.
main_idx=$(cd "$cache" && ls census-*.idx | grep -v "^$disk_idx\$")
main_before=$(cd "$cache" && stat -c '%i %Y' "$main_idx")
# c4: c1 and 1100 new files, committed with plumbing beside the work tree
mkdir -p "$work/many"
for i in $(seq 1 1100); do
  printf '#include <linux/foo.h>\n\nvoid many_%d(struct foo *f)\n{\n\tf->count = %d;\n}\n' "$i" "$i" \
    > "$work/many/m$i.c"
done
export GIT_INDEX_FILE=$work/far.index
g read-tree "$c1"
(cd "$work/many" && ls) | while read -r f; do echo "$work/many/$f"; done |
  g hash-object -w --stdin-paths | paste - <(cd "$work/many" && ls) |
  awk '{ printf "100644 %s\tdrivers/many/%s\n", $1, $2 }' | g update-index --index-info
c4=$(g commit-tree -p "$c1" -m c4 "$(g write-tree)")
unset GIT_INDEX_FILE
{ stats --rev "$c4"; stats --rev "$c4"; stats --rev "$c2"; } > "$work/got-far.txt"
printf 'built, 1102 read\nfrom the cache, 0 read\nfrom the cache, 0 read\n' > "$work/want-far.txt"
check "a revision far from the first: its own index" "$work/got-far.txt" "$work/want-far.txt"
tree4=$(g rev-parse "$c4^{tree}")
if [ -f "$cache/${main_idx%.idx}-$tree4.idx" ] &&
   [ "$(cd "$cache" && stat -c '%i %Y' "$main_idx")" = "$main_before" ]; then ok
else bad "the far revision's index: not beside the first one"; ls -l "$cache" >&2; fi
"$census" --src "$repo" --cache-dir "$cache" --rev "$c4" 'struct foo::count' |
  sed -n 's/^  sites: \([0-9]*\) (\([0-9]*\) writers.*/\1 \2/p' > "$work/got-far-sites.txt"
echo "1104 1103" > "$work/want-far-sites.txt"
check "the far revision's census" "$work/got-far-sites.txt" "$work/want-far-sites.txt"

# A file the work tree holds unchanged (git's index records the blob with
# the file's stat data, older than the index) is read from the work tree;
# a changed one from the object store. Here include/linux/foo.h is the same
# in every commit and clean, kernel/foo.c is edited.
touch -d '2020-01-01 00:00' "$repo/include/linux/foo.h" "$repo/kernel/foo.c"
g update-index -q --refresh > /dev/null
worktree_reads() { "$census" --src "$repo" --cache-dir "$work/$2" --stats --rev "$1" \
  'struct foo::count' 2>&1 >/dev/null | sed -n 's/.*(\([0-9]*\) files read from the work tree).*/\1/p'; }
worktree_reads "$c3" cache2 > "$work/got-wt.txt"
"$census" --src "$repo" --cache-dir "$work/cache2" --rev "$c3" --format json 'struct foo::count' \
  > "$work/c3.json"
{ cat "$work/got-wt.txt"; python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(r["sites"], r["marked"], r["rev"])' "$work/c3.json"; } > "$work/got-wt2.txt"
printf '1\n4 1 %s\n' "$c3" > "$work/want-wt.txt"
check "a clean file from the work tree, an edited one from the store" "$work/got-wt2.txt" \
  "$work/want-wt.txt"

# An edit that keeps the size: the file's stat data no longer matches git's
# index, so the object store is read (a fresh cache: every file is read).
sed -i 's/#define FOO_H/#define FOO_Z/' "$repo/include/linux/foo.h"
worktree_reads "$c2" cache3 > "$work/got-wt3.txt"
echo 0 > "$work/want-wt3.txt"
check "a same-size edit: not read from the work tree" "$work/got-wt3.txt" "$work/want-wt3.txt"

# A revision the repository lacks is an error naming it.
"$census" --src "$repo" --cache-dir "$cache" --rev deadbeef1234 'struct foo::count' \
  > /dev/null 2> "$work/err.txt"
rc=$?
if [ "$rc" = 2 ] && grep -q "deadbeef1234 not in the repository" "$work/err.txt"; then ok
else bad "a missing revision: exit $rc"; cat "$work/err.txt" >&2; fi

echo "census_rev: $pass passed, $fail failed"
[ "$fail" = 0 ]
