#!/usr/bin/env bash
# The census (include/kcsan/census.h) on a prepared full kernel tree: the cold
# index build, then warm censuses of a few objects, each run RUNS times (the
# median is shown). Per process: CPU (user+sys), wall and peak RSS from GNU
# time; inside it, kt-census --stats splits the CPU into opening the index
# (walking the tree to check it) and the census itself. The reference beside
# each object is what the brute force costs: grep over the tree for the
# member's `->f` / `.f` (or the global's name), which finds candidate lines
# and nothing more.
# Usage: bench/census.sh [TREE] [BUILD_DIR] [RUNS]
#   TREE       default ../linux/linux-source-6.1 (fixtures/prepare-linux.sh)
#   BUILD_DIR  default build (kt-census built there); the index goes to
#              BUILD_DIR/census-bench-cache, emptied first for the cold run
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tree=$(realpath "${1:-$here/../linux/linux-source-6.1}")
build=$(realpath -m "${2:-$here/build}")
runs=${3:-3}
tool="$build/kt-census"
cache="$build/census-bench-cache"
objects=('struct inode::i_mode' 'struct sock::sk_rcvbuf' 'struct rq::nr_running' 'jiffies'
	 'struct task_struct::flags' 'struct page::flags')
[ -x "$tool" ] || { echo "build $tool first (cmake --build $build --target kt-census)" >&2; exit 1; }
[ -d "$tree" ] || { echo "no tree at $tree" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One process: "cpu_ms wall_ms rss_mb open_ms census_ms sites" on stdout.
measure() {
	/usr/bin/time -f '%U %S %e %M' -o "$tmp/time" "$tool" --src "$tree" --cache-dir "$cache" \
		--stats --format json "$@" > "$tmp/out" 2> "$tmp/err"
	read -r u s e m < "$tmp/time"
	open=$(sed -n 's/^index: .*open \([0-9]*\) ms CPU.*/\1/p' "$tmp/err")
	cen=$(sed -n 's/^census .*: \([0-9]*\) ms CPU.*/\1/p' "$tmp/err" | head -1)
	sites=$(sed -n 's/.*"sites":\([0-9]*\).*/\1/p' "$tmp/out" | head -1)
	awk -v u="$u" -v s="$s" -v e="$e" -v m="$m" -v o="$open" -v c="${cen:-0}" -v n="${sites:-0}" \
		'BEGIN {printf "%d %d %d %d %d %d\n", (u+s)*1000, e*1000, m/1024, o, c, n}'
}

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

echo "tree: $tree ($(find "$tree" -name '*.[ch]' | wc -l) .c/.h files), $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
rm -rf "$cache"
read -r cpu wall rss open cen sites < <(measure 'struct inode::i_mode')
size=$(du -cb "$cache"/census-* | tail -1 | cut -f1)
printf 'cold index build: %.1f s CPU, %.1f s wall, peak RSS %d MB, index %.1f MB (%s)\n' \
	"$(echo "$cpu / 1000" | bc -l)" "$(echo "$wall / 1000" | bc -l)" "$rss" \
	"$(echo "$size / 1048576" | bc -l)" "$(sed -n 's/^index: \([0-9]* files, [0-9]* units, [0-9]* structs\).*/\1/p' "$tmp/err")"
printf '\n%-28s %6s  %-36s  %s\n' object sites "census (median of $runs): CPU open+census, wall, RSS" "reference: grep of the tree, CPU / wall"
for o in "${objects[@]}"; do
	for i in $(seq "$runs"); do measure "$o"; done > "$tmp/runs"
	sites=$(cut -d' ' -f6 "$tmp/runs" | head -1)
	cpu=$(cut -d' ' -f1 "$tmp/runs" | median); wall=$(cut -d' ' -f2 "$tmp/runs" | median)
	rss=$(cut -d' ' -f3 "$tmp/runs" | median); open=$(cut -d' ' -f4 "$tmp/runs" | median)
	cen=$(cut -d' ' -f5 "$tmp/runs" | median)
	case $o in
	*::*) pat="(->|\.)[[:space:]]*${o##*[:.]}\b" ;;
	*) pat="\b$o\b" ;;
	esac
	/usr/bin/time -f '%U %S %e' -o "$tmp/gtime" grep -rEc --include='*.[ch]' "$pat" "$tree" > /dev/null || true
	read -r gu gs ge < "$tmp/gtime"
	printf '%-28s %6d  %5d ms = %4d + %4d, %5d ms, %3d MB    %5.0f ms / %5.0f ms\n' "$o" "$sites" \
		"$cpu" "$open" "$cen" "$wall" "$rss" "$(echo "($gu + $gs) * 1000" | bc -l)" \
		"$(echo "$ge * 1000" | bc -l)"
done
