#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Symbolization benchmark. On the same PCs (the return address - 1 of every
# frame of a KCSAN fixture's reports) it runs kcsan-triage's binary layer
# (build/analyzer/binary/kt-symbolize), addr2line -fi, eu-addr2line -fi and
# llvm-symbolizer, on each fixture's vmlinux (kcsan-6.1: gcc, DWARF 5;
# kcsan-6.12-clang: clang, DWARF 4) and on Debian's full cloud-amd64 debug
# vmlinux (the 6.1 reports' frames placed in it by name), and prints for
# each: wall time, CPU time (user + system), peak RSS and how many PCs give
# the same lines as addr2line. kcsan-triage runs cold (an empty index cache
# before each run) and warm (the cache of an earlier run); the last lines
# give cold against eu-addr2line, and warm against cold and eu-addr2line.
#
# The tools take turns, one run each per round, KT_BENCH_RUNS rounds
# (default 5), so that a load that comes and goes on a shared machine falls
# on all of them; times are medians, RSS the largest. On a loaded machine
# wall time says as much about the load as about the tool: CPU time is what
# the tool itself costs.
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
runs=${KT_BENCH_RUNS:-5}
fix=$shared/fixtures/kcsan-6.1
work=$(mktemp -d "${TMPDIR:-/tmp}/kt-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

[ -x "$tool" ] || { echo "build kt-symbolize first (cmake --build $build --target kt-symbolize)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is needed" >&2; exit 2; }

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

# rounds LABEL=OUT=CMD... : runs every command once per round, stdin from
# $pcsin, output to OUT (CMD's words separated by \x1f); a label ending in
# "cold" empties $work/cache before each of its runs. Prints "LABEL WALL CPU
# RSS_KB" per command: medians of wall and user + system time, largest RSS.
rounds() {
	python3 - "$runs" "$pcsin" "$work/cache" "$@" <<'EOF'
import os, shutil, statistics, subprocess, sys, time
runs, pcs, cache = int(sys.argv[1]), sys.argv[2], sys.argv[3]
tools = []
for spec in sys.argv[4:]:
    label, out, cmd = spec.split('=', 2)
    tools.append((label, out, cmd.split('\x1f')))
res = {label: ([], [], 0) for label, _, _ in tools}
for _ in range(runs):
    for label, out, cmd in tools:
        if label.endswith('cold'):
            shutil.rmtree(cache, ignore_errors=True)
        with open(pcs) as fin, open(out, 'w') as fout:
            t0 = time.perf_counter()
            p = subprocess.Popen(cmd, stdin=fin, stdout=fout, stderr=subprocess.DEVNULL)
            _, _, ru = os.wait4(p.pid, 0)
            wall = time.perf_counter() - t0
        w, c, rss = res[label]
        w.append(wall)
        c.append(ru.ru_utime + ru.ru_stime)
        res[label] = (w, c, max(rss, ru.ru_maxrss))
for label, _, _ in tools:
    w, c, rss = res[label]
    print(label, '%.3f' % statistics.median(w), '%.3f' % statistics.median(c), rss)
EOF
}

# row LABEL NAME SAME: one line of the table from the rounds' results
row() {
	local w c kb
	read -r _ w c kb < <(grep "^$1 " "$work/rounds")
	printf '%-22s %9s %9s %14s %18s\n' "$2" "$w" "$c" "$((kb / 1024))" "$3"
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
	local extra="" us=$'\x1f'
	[ "$label" = debian ] && extra=--any-size
	"$tool" --no-cache "$vm" --pcs-of $extra "$@" | sort -u | sed 's/^/0x/' > "$work/pcs"
	local npcs
	npcs=$(wc -l < "$work/pcs")
	pcsin=$work/pcs
	echo
	echo "== $label: $(basename "$vm") ($(( $(stat -c %s "$vm") / 1000000 )) MB), $npcs distinct PCs from $# reports"
	# the reference output, and the cache of an earlier run for the warm runs
	[ $have_a2l = 1 ] && addr2line -a -f -i -e "$vm" < "$pcsin" > "$work/a2l.out"
	rm -rf "$work/cache-warm"
	"$tool" --cache-dir "$work/cache-warm" "$vm" --pcs < "$pcsin" > /dev/null
	local specs=()
	[ $have_a2l = 1 ] && specs+=("a2l=$work/a2l.out=addr2line$us-a$us-f$us-i$us-e$us$vm")
	[ $have_eu = 1 ] && specs+=("eu=$work/eu.out=eu-addr2line$us-a$us-f$us-i$us-e$us$vm")
	[ $have_llvm = 1 ] && specs+=("llvm=$work/llvm.out=llvm-symbolizer$us--obj=$vm$us--inlining$us--output-style=GNU$us-a")
	specs+=("cold=$work/ours.out=$tool$us--cache-dir$us$work/cache$us$vm$us--pcs")
	specs+=("warm=$work/ours-warm.out=$tool$us--cache-dir$us$work/cache-warm$us$vm$us--pcs")
	rounds "${specs[@]}" > "$work/rounds"
	printf '%-22s %9s %9s %14s %18s\n' tool "wall (s)" "CPU (s)" "peak RSS (MB)" "same as addr2line"
	[ $have_a2l = 1 ] && row a2l "addr2line -fi" reference
	[ $have_eu = 1 ] && row eu "eu-addr2line -fi" "$([ $have_a2l = 1 ] && same "$work/eu.out" a2l)"
	[ $have_llvm = 1 ] && row llvm llvm-symbolizer "$([ $have_a2l = 1 ] && same "$work/llvm.out" a2l)"
	row cold "kcsan-triage cold" "$([ $have_a2l = 1 ] && same "$work/ours.out" a2l)"
	row warm "kcsan-triage warm" "$([ $have_a2l = 1 ] && same "$work/ours-warm.out" a2l)"
	[ $have_eu = 1 ] || return 0
	python3 - "$work/rounds" <<'EOF'
import sys
r = {l.split()[0]: [float(x) for x in l.split()[1:3]] for l in open(sys.argv[1])}
f = lambda a, b: '%.2f' % (a / b) if b > 0 else '-'
(ew, ec), (cw, cc), (ww, wc) = r['eu'], r['cold'], r['warm']
print('cold / eu-addr2line: CPU %s, wall %s (at most 1 is the goal)' % (f(cc, ec), f(cw, ew)))
print('warm: %sx faster than eu-addr2line and %sx faster than cold in CPU; %sx and %sx in wall'
      ' (at least 5x is the goal)' % (f(ec, wc), f(cc, wc), f(ew, ww), f(cw, ww)))
EOF
}

# unpack FIXTURE: its vmlinux, once, into the build directory
unpack() {
	local name=$1 vm=$build/$1-vmlinux
	if [ ! -s "$vm" ]; then
		local tmp
		tmp=$(mktemp "$vm.XXXXXX")
		xz -dc "$shared/fixtures/$name/vmlinux.xz" > "$tmp" && mv "$tmp" "$vm" || { rm -f "$tmp"; echo "cannot unpack $name/vmlinux.xz" >&2; exit 2; }
	fi
}

# The two KCSAN fixtures: gcc / DWARF 5 and clang / DWARF 4.
for name in kcsan-6.1 kcsan-6.12-clang; do
	if [ ! -f "$shared/fixtures/$name/vmlinux.xz" ]; then
		echo "SKIP $name: $shared/fixtures/$name/vmlinux.xz is absent"
		continue
	fi
	unpack "$name"
	bench_one "$name" "$build/$name-vmlinux" "$shared/fixtures/$name"/reports/raw/*.txt
done
reports=("$fix"/reports/raw/*.txt)

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
