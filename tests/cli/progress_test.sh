#!/usr/bin/env bash
# The progress line of a batch: drawn on standard error when it is a
# terminal (a pseudo-terminal here), never when standard error is a pipe or
# a file, nor with --quiet; standard output never carries it.
set -u
bin=$1 root=$2 work=$3
mkdir -p "$work"
command -v python3 >/dev/null || { echo "SKIP: python3 needed for a pty"; exit 77; }
fail=0
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
log="$work/batch.log"
n=0
for f in "$root"/testdata/golden/*.txt; do
	cat "$f"
	printf '\n[  100.000000] random: crng init done\n'
	n=$((n + 1))
	[ $n -ge 20 ] && break
done >"$log"

# Run bin with stderr on a pty; stdout to a file. Prints what the pty saw.
on_pty() {
	python3 - "$@" <<'PY'
import os, pty, subprocess, sys
master, slave = pty.openpty()
with open(os.environ["OUT"], "wb") as out:
    p = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=out, stderr=slave)
os.close(slave)
seen = b""
while True:
    try:
        chunk = os.read(master, 4096)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
p.wait()
sys.stdout.write(seen.decode("utf-8", "replace"))
PY
}

OUT="$work/out1" on_pty "$bin" --format json "$log" >"$work/tty1"
grep -q 'kcsan-triage: [0-9]* / ~[0-9]* reports ([0-9]*%), [0-9]*/s, ETA [0-9]* s' "$work/tty1" ||
	{ bad "no progress line on a terminal"; cat -v "$work/tty1" >&2; }
grep -q 'reports:.*benign' "$work/tty1" || bad "no summary on a terminal"
grep -q 'ETA' "$work/out1" && bad "progress line on standard output"
[ "$(wc -l <"$work/out1")" -ge 20 ] || bad "not every result on standard output"

OUT="$work/out2" on_pty "$bin" --quiet --format json "$log" >"$work/tty2"
grep -q 'ETA\|/s' "$work/tty2" && { bad "--quiet still draws the progress line"; cat -v "$work/tty2" >&2; }
grep -q 'reports:.*benign' "$work/tty2" || bad "--quiet dropped the summary"

"$bin" --format json "$log" 2>&1 >/dev/null | cat >"$work/pipe"
grep -q 'ETA\|/s' "$work/pipe" && { bad "progress line in a pipe"; cat -v "$work/pipe" >&2; }
"$bin" --format json "$log" >/dev/null 2>"$work/file"
grep -q 'ETA\|/s' "$work/file" && bad "progress line in a file"
grep -q $'\r' "$work/file" && bad "carriage return in a file"

[ $fail -eq 0 ] && echo "progress: all checks passed"
exit $((fail > 0))
