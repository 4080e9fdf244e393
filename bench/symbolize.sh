#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Symbolization benchmark. On the same PCs (the return address - 1 of every
# frame of the KCSAN fixture reports) it runs kcsan-triage's binary layer
# (build/analyzer/binary/kt-symbolize), addr2line -fi, eu-addr2line -fi and
# llvm-symbolizer, on the fixture vmlinux and on Debian's full cloud-amd64
# debug vmlinux, and prints for each: wall time, peak RSS (/usr/bin/time -v)
# and how many PCs give the same lines as addr2line. kcsan-triage is run
# twice: cold (empty index cache) and warm (the cache of the first run).
# Times are the best of KT_BENCH_RUNS runs (default 3), RSS the largest.
#
# Usage: bench/symbolize.sh [BUILD_DIR]      (default: build)
# Environment: KT_BENCH_NO_INSTALL=1 never installs packages (missing tools
# and the Debian vmlinux are then skipped, saying so); KT_SHARED_DIR points
# at the shared fixtures (default: ../shared beside the checkout).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$here/build}" 2>/dev/null && pwd) || { echo "no build directory ${1:-$here/build}" >&2; exit 2; }
tool=$build/analyzer/binary/kt-symbolize
shared=${KT_SHARED_DIR:-$here/../shared}
runs=${KT_BENCH_RUNS:-3}
fix=$shared/fixtures/kcsan-6.1
work=$(mktemp -d "${TMPDIR:-/tmp}/kt-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

[ -x "$tool" ] || { echo "build kt-symbolize first (cmake --build $build --target kt-symbolize)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 2; }

can_install() {
	[ -z "${KT_BENCH_NO_INSTALL:-}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null
}

need() { # need COMMAND PACKAGE
	command -v "$1" >/dev/null && return 0
	if can_install; then
		echo "installing $2 for $1 ..."
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null 2>&1
	fi
	command -v "$1" >/dev/null && return 0
	echo "SKIP $1: not installed (package $2)"
	return 1
}

have_a2l=0; need addr2line binutils && have_a2l=1
have_eu=0; need eu-addr2line elfutils && have_eu=1
have_llvm=0; need llvm-symbolizer llvm && have_llvm=1

# measure OUTFILE CMD...: stdin from $pcsin; sets $best_s (wall), $best_cpu
# (user + system: what the tool itself costs on a loaded machine) and $max_kb
measure() {
	local out=$1; shift
	best_s=""; best_cpu=""; max_kb=0
	for ((r = 0; r < runs; r++)); do
		[ -n "${before_each:-}" ] && eval "$before_each"
		/usr/bin/time -v -o "$work/time" "$@" < "$pcsin" > "$out" 2>/dev/null
		local s kb cpu
		s=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); v = 0; for (i = 1; i <= n; i++) v = v * 60 + t[i]; print v}' "$work/time")
		cpu=$(awk -F': ' '/User time|System time/ {v += $2} END {printf "%.2f", v}' "$work/time")
		kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time")
		if [ -z "$best_s" ] || awk "BEGIN {exit !($s < $best_s)}"; then best_s=$s; fi
		if [ -z "$best_cpu" ] || awk "BEGIN {exit !($cpu < $best_cpu)}"; then best_cpu=$cpu; fi
		[ "$kb" -gt "$max_kb" ] && max_kb=$kb
	done
}

row() { # row LABEL SAME
	printf '%-22s %9s %9s %14s %18s\n' "$1" "$best_s" "$best_cpu" "$((max_kb / 1024))" "$2"
}

# same PCS_FILE OUTPUT FORMAT: how many PCs print the same function and
# file:line chain as addr2line (paths compared up to the tree prefix,
# discriminators ignored).
same() {
	python3 - "$work/a2l.out" "$1" "$2" <<'EOF'
import re, sys
def blocks(path, fmt):
    out, cur = [], None
    lines = open(path, errors='replace').read().split('\n')
    if fmt == 'llvm':
        for l in lines:
            if l == '':
                if cur is not None: out.append(cur); cur = None
                continue
            if cur is None: cur = []
            cur.append(l)
        if cur: out.append(cur)
        res = []
        for b in out:
            if b and re.match(r'^0x[0-9a-f]+$', b[0]): b = b[1:]
            res.append([(b[i], b[i + 1]) for i in range(0, len(b) - 1, 2)])
        return res
    res = []
    for l in lines:
        if re.match(r'^0x[0-9a-f]+$', l):
            res.append([]); cur = []
            continue
        if not res: continue
        cur.append(l)
        if len(cur) == 2: res[-1].append(tuple(cur)); cur = []
    return res
def norm(loc):
    loc = re.sub(r' \(discriminator \d+\)$', '', loc)
    m = re.match(r'^(.*?):(\d+|\?)(?::\d+)?$', loc)
    f, n = (m.group(1), m.group(2)) if m else (loc, '')
    f = re.sub(r'/(\./)+', '/', f)
    while f.startswith('./'): f = f[2:]
    return f, n
def eq(a, b):
    (fa, la), (fb, lb) = norm(a), norm(b)
    if la != lb: return False
    return fa == fb or fa.endswith('/' + fb) or fb.endswith('/' + fa)
ref, got = blocks(sys.argv[1], 'a2l'), blocks(sys.argv[2], sys.argv[3])
n = sum(1 for r, g in zip(ref, got) if len(r) == len(g) and all(x[0] == y[0] and eq(x[1], y[1]) for x, y in zip(r, g)))
print('%d/%d' % (n, len(ref)))
EOF
}

bench_one() { # bench_one LABEL VMLINUX REPORT_FILES...
	local label=$1 vm=$2; shift 2
	local extra=""
	[ "$label" != fixture ] && extra=--any-size
	"$tool" --no-cache "$vm" --pcs-of $extra "$@" | sort -u | sed 's/^/0x/' > "$work/pcs"
	local npcs
	npcs=$(wc -l < "$work/pcs")
	pcsin=$work/pcs
	echo
	echo "== $label: $(basename "$vm") ($(( $(stat -c %s "$vm") / 1000000 )) MB), $npcs distinct PCs from $# reports"
	printf '%-22s %9s %9s %14s %18s\n' tool "wall (s)" "CPU (s)" "peak RSS (MB)" "same as addr2line"
	if [ $have_a2l = 1 ]; then
		measure "$work/a2l.out" addr2line -a -f -i -e "$vm"
		row "addr2line -fi" reference
	fi
	if [ $have_eu = 1 ]; then
		measure "$work/eu.out" eu-addr2line -a -f -i -e "$vm"
		row "eu-addr2line -fi" "$([ $have_a2l = 1 ] && same "$work/eu.out" a2l)"
	fi
	if [ $have_llvm = 1 ]; then
		measure "$work/llvm.out" llvm-symbolizer --obj="$vm" --inlining --output-style=GNU -a
		row "llvm-symbolizer" "$([ $have_a2l = 1 ] && same "$work/llvm.out" a2l)"
	fi
	before_each="rm -rf '$work/cache'"
	measure "$work/ours.out" "$tool" --cache-dir "$work/cache" "$vm" --pcs
	before_each=""
	row "kcsan-triage cold" "$([ $have_a2l = 1 ] && same "$work/ours.out" a2l)"
	rm -rf "$work/cache"
	"$tool" --cache-dir "$work/cache" "$vm" --pcs < "$pcsin" > /dev/null
	measure "$work/ours-warm.out" "$tool" --cache-dir "$work/cache" "$vm" --pcs
	row "kcsan-triage warm" "$([ $have_a2l = 1 ] && same "$work/ours-warm.out" a2l)"
}

reports=("$fix"/reports/raw/*.txt)
if [ ! -f "$fix/vmlinux.xz" ]; then
	echo "SKIP fixture: $fix/vmlinux.xz is absent"
	exit 0
fi
vmfix=$build/kcsan-6.1-vmlinux
if [ ! -s "$vmfix" ]; then
	tmp=$(mktemp "$build/kcsan-6.1-vmlinux.XXXXXX")
	xz -dc "$fix/vmlinux.xz" > "$tmp" && mv "$tmp" "$vmfix" || { rm -f "$tmp"; echo "cannot unpack vmlinux.xz" >&2; exit 2; }
fi
bench_one fixture "$vmfix" "${reports[@]}"

# Debian's full vmlinux (linux-image-6.1.0-*-cloud-amd64-dbg, about 590 MB).
debvm=$(ls -1 /usr/lib/debug/boot/vmlinux-6.1.0-*-cloud-amd64 2>/dev/null | sort -V | tail -1)
if [ -z "$debvm" ] && can_install; then
	pkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-cloud-amd64-dbg$' 2>/dev/null | awk '{print $1}' | sort -V | tail -1)
	if [ -n "$pkg" ]; then
		echo
		echo "installing $pkg (about 280 MB to download, 1.8 GB installed) ..."
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$pkg" >/dev/null 2>&1
		debvm=$(ls -1 /usr/lib/debug/boot/vmlinux-6.1.0-*-cloud-amd64 2>/dev/null | sort -V | tail -1)
	fi
fi
if [ -z "$debvm" ]; then
	echo
	echo "SKIP Debian vmlinux: linux-image-6.1.0-*-cloud-amd64-dbg is not installed and cannot be installed here"
else
	bench_one debian "$debvm" "${reports[@]}"
fi
