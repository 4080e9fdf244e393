#!/usr/bin/env bash
# The census index of a git revision (read from the object store) beside
# the reference, the index of the same tree's work tree: cold builds, then
# warm censuses of a few objects; with a second revision, its delta over
# the first. Per process: CPU (user+sys), wall and peak RSS from GNU time
# (RSS counts the mapped index and pack files); inside it, kt-census
# --stats says how many files were read and how many of a revision's came
# from the work tree (unchanged there, so no blob was inflated).
# Usage: bench/census_rev.sh REPO [REV [REV2]] [BUILD_DIR]
#   REPO       a kernel git repository's work tree
#   REV        default HEAD; REV2: a second revision, indexed after REV
#   BUILD_DIR  default build; the indexes go to BUILD_DIR/census-rev-bench-cache,
#              emptied first
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
repo=$(realpath "${1:?usage: bench/census_rev.sh REPO [REV [REV2]] [BUILD_DIR]}")
rev=${2:-HEAD} rev2=${3:-}
build=$(realpath -m "${4:-$here/build}")
tool="$build/kt-census"
cache="$build/census-rev-bench-cache"
objects=('struct inode::i_mode' 'jiffies' 'struct sock::sk_rcvbuf')
[ -x "$tool" ] || { echo "build $tool first (cmake --build $build --target kt-census)" >&2; exit 1; }
[ -e "$repo/.git" ] || { echo "$repo is no git work tree" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One process: what, then CPU s, wall s, peak RSS MB, and kt-census's index line.
measure() {
	local what=$1
	shift
	/usr/bin/time -f '%U %S %e %M' -o "$tmp/time" "$tool" --src "$repo" --cache-dir "$cache" \
		--stats "$@" > /dev/null 2> "$tmp/err"
	read -r u s e m < "$tmp/time"
	printf '%-34s %6.1f s CPU %6.1f s wall %5d MB   %s\n' "$what" "$(echo "$u + $s" | bc -l)" "$e" \
		"$((m / 1024))" "$(sed -n 's/^index: [0-9]* files, .* bytes, \(.* files read\).*, open \([0-9]*\) ms CPU.*/\1, open \2 ms/p' "$tmp/err")$(sed -n 's/^index: .*(\([0-9]*\) files read from the work tree).*/, \1 from the work tree/p' "$tmp/err")"
	sed -n 's/^census \(.*\): \([0-9]*\) ms CPU.*/    census \1: \2 ms CPU/p' "$tmp/err"
}

echo "repository: $repo at $(git -C "$repo" rev-parse --short "$rev"), $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
rm -rf "$cache"
measure "cold, revision $rev" --rev "$rev" "${objects[@]}"
measure "warm, revision $rev" --rev "$rev" "${objects[@]}"
if [ -n "$rev2" ]; then
	measure "delta, revision $rev2" --rev "$rev2" "${objects[@]}"
	measure "warm, revision $rev2" --rev "$rev2" "${objects[@]}"
fi
measure "reference: cold, work tree" "${objects[@]}"
measure "reference: warm, work tree" "${objects[@]}"
du -b "$cache"/census-* | awk '{ n = split($2, p, "/"); printf "  %-80s %6.1f MB\n", p[n], $1 / 1048576 }'
