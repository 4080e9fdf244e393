#!/usr/bin/env bash
# Whatever a crashed kernel printed or a user handed us: the tool never
# crashes or hangs, names what it could not read, and gives no verdict from
# input it could not read. Bounded: every run here has a time limit.
set -u
bin=$1 root=$2 work=$3
rm -rf "$work"; mkdir -p "$work"
rules="$root/rules"
fail=0 pass=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
run() { # expected-rc name args...
  local want=$1 name=$2; shift 2
  timeout 60 "$bin" --rules "$rules" "$@" > "$work/out" 2> "$work/err"
  local rc=$?
  if [ $rc -ge 124 ] || [ $rc -gt 128 ]; then bad "$name: killed or timed out (exit $rc)"; return; fi
  [ "$rc" = "$want" ] && ok || { bad "$name: exit $rc, expected $want"; head -5 "$work/err" >&2; }
}

report() { # frames-per-stack
  printf '==================================================================\n'
  printf 'BUG: KCSAN: data-race in foo_a / foo_b\n\n'
  printf 'write to 0xffff888012345678 of 4 bytes by task 1 on cpu 0:\n'
  for ((i = 0; i < $1; i++)); do printf ' f%d+0x10/0x40\n' $i; done
  printf '\nread to 0xffff888012345678 of 4 bytes by task 2 on cpu 1:\n'
  for ((i = 0; i < $1; i++)); do printf ' g%d+0x10/0x40\n' $i; done
  printf '\nReported by Kernel Concurrency Sanitizer on:\nCPU: 1 PID: 2 Comm: t Not tainted 6.1.0 #1\n'
  printf '==================================================================\n'
}

# 1. File names with spaces and non-UTF-8 bytes: read, named in JSON as valid JSON.
name=$'odd name \xff\xfe.txt'
report 3 > "$work/$name"
run 0 "odd file name" --format json "$work/$name"
if /usr/bin/python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1], "rb")]' "$work/out" 2>/dev/null; then ok; else bad "JSON with an odd input name is not valid JSON"; fi

# 2. Thousands of frames: bounded, still classified.
report 5000 > "$work/deep.txt"
run 0 "5000 frames per stack" --format json "$work/deep.txt"
[ "$(wc -l < "$work/out")" = 1 ] && ok || bad "deep report not classified"

# 3. Binary garbage, NUL bytes, a 20 MB line: no verdict, no crash.
head -c 2000000 /dev/urandom > "$work/garbage.bin"
run 0 "random bytes (no report in them)" "$work/garbage.bin"
{ report 3 | head -n 6; printf 'x\0y\n'; report 3 | tail -n +7; } > "$work/nul.txt"
timeout 60 "$bin" --rules "$rules" "$work/nul.txt" > /dev/null 2>&1
rc=$?; [ $rc -lt 124 ] && ok || bad "NUL byte: exit $rc"
{ report 3 | head -n 4; head -c 20000000 /dev/zero | tr '\0' 'a'; printf '\n'; report 3 | tail -n +5; } > "$work/longline.txt"
timeout 60 "$bin" --rules "$rules" "$work/longline.txt" > /dev/null 2>&1
rc=$?; [ $rc -lt 124 ] && ok || bad "20 MB line: exit $rc"

# 4. A report cut before the first frame of its second access: named, not
# classified. One cut inside the second stack (a copy that lost its trailer)
# is classified, the stack marked as maybe cut.
report 4 | head -n 10 > "$work/cut.txt"
run 2 "truncated report" --format json "$work/cut.txt"
[ -s "$work/out" ] && bad "a truncated report got a verdict" || ok
grep -q "cut.txt:" "$work/err" && ok || bad "truncated report error does not name the file"
report 4 | head -n 12 > "$work/cut2.txt"
run 0 "report cut inside its second stack" --format json "$work/cut2.txt"
[ "$(wc -l < "$work/out")" = 1 ] && ok || bad "a report cut inside its second stack got no verdict"
grep -q '"elided":true' "$work/out" && ok || bad "the cut stack is not marked elided in the JSON"

# 5. A directory that is not readable as reports and a FIFO-free special file.
run 2 "nonexistent input" "$work/nope"
run 0 "/dev/null" /dev/null

# 6. A rule with catastrophic backtracking against a long function name ends quickly.
mkdir -p "$work/rules"
cp "$rules"/*.rules "$work/rules/" 2>/dev/null
printf '[zz-backtrack]\nverdict = unknown\nconfidence = low\npriority = 1\nwhen = either.func ~ /^(a+)+$/\nexplain = x\naction = y\n' > "$work/rules/zz.rules"
{ report 2 | sed "s/f0+/$(head -c 5000 /dev/zero | tr '\0' 'a')b+/"; } > "$work/bt.txt"
timeout 60 "$bin" --rules "$work/rules" "$work/bt.txt" > /dev/null 2>&1
rc=$?; [ $rc -lt 124 ] && ok || bad "catastrophic regex: exit $rc"

echo "hostile: $pass passed, $fail failed"
[ "$fail" = 0 ]
