#!/usr/bin/env bash
# Special files where the tool expects regular ones never hang it: a FIFO in
# a directory of reports, among LLM verdicts, as the report beside a verdict,
# and at the path of the vmlinux index cache entry. Each is named and
# skipped (or replaced, for the cache); every run has a time limit.
set -u
bin=$1 root=$2 work=$3
rm -rf "$work"; mkdir -p "$work"
fix=${KT_SHARED_DIR:-$root/../shared}
fail=0
bad() { fail=1; echo "FAIL: $*" >&2; }
run() { # name expected-rc args...
  local name=$1 want=$2; shift 2
  timeout 60 "$bin" --rules "$root/rules" "$@" > "$work/out" 2> "$work/err"
  local rc=$?
  if [ $rc = 124 ]; then bad "$name: hung"; return; fi
  [ $rc = "$want" ] || { bad "$name: exit $rc, expected $want"; head -3 "$work/err" >&2; }
}
report() {
  printf '==================================================================\n'
  printf 'BUG: KCSAN: data-race in foo_a / foo_b\n\n'
  printf 'write to 0xffff888012345678 of 4 bytes by task 1 on cpu 0:\n foo_a+0x10/0x40\n\n'
  printf 'read to 0xffff888012345678 of 4 bytes by task 2 on cpu 1:\n foo_b+0x10/0x40\n\n'
  printf 'Reported by Kernel Concurrency Sanitizer on:\nCPU: 1 PID: 2 Comm: t Not tainted 6.1.0 #1\n'
  printf '==================================================================\n'
}

# 1. A directory of reports with a FIFO among them: the report is classified,
# the FIFO named, exit 2 (an input could not be read).
mkdir "$work/reps"
report > "$work/reps/a.txt"
mkfifo "$work/reps/b.txt"
run "FIFO among reports" 2 --format json "$work/reps"
[ "$(wc -l < "$work/out")" = 1 ] || bad "the regular report beside the FIFO was not classified"
grep -q "b.txt: not a regular file" "$work/err" || bad "the FIFO among reports is not named"

# 2. LLM verdicts: a FIFO as a verdict, and a FIFO as the report beside one.
mkdir "$work/llm"
report > "$work/r.txt"
printf '{"Benign": true, "Explanation": "x"}\n' > "$work/llm/one.llm.json"
mkfifo "$work/llm/one.report.txt" "$work/llm/two.llm.json"
run "FIFOs among LLM verdicts" 2 --llm "$work/llm" "$work/r.txt"
grep -q "two.llm.json: not a regular file" "$work/err" || bad "the FIFO verdict is not named"

# 3. A FIFO at the path of the index cache entry of a vmlinux.
if command -v gcc >/dev/null && command -v readelf >/dev/null; then
  printf 'int x;\nvoid foo_a(void) { x = 1; }\nvoid _start(void) { for (;;) foo_a(); }\n' > "$work/k.c"
  if gcc -g -O1 -static -nostdlib -no-pie -Wl,--build-id -o "$work/vmlinux" "$work/k.c" 2>/dev/null; then
    id=$(readelf -n "$work/vmlinux" | awk '/Build ID/ { print $3 }')
    mkdir -p "$work/cache"
    mkfifo "$work/cache/$id.idx"
    run "FIFO as the cache entry" 0 --vmlinux "$work/vmlinux" --cache-dir "$work/cache" "$work/r.txt"
    [ -f "$work/cache/$id.idx" ] && [ ! -p "$work/cache/$id.idx" ] ||
      bad "the FIFO cache entry was not replaced by a good one"
  else
    echo "cannot link a small ELF: cache case skipped"
  fi
fi

[ $fail = 0 ] && echo "special files: ok"
exit $fail
