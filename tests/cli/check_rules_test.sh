#!/usr/bin/env bash
# One case of testdata/check-rules: `--check-rules` on a rule directory made
# of base.rules and the case's files, whose `expect` gives the exit status
# and text standard output or error must contain (README.md there).
set -u
bin=$1 cases=$2 name=$3 work=$4
dir="$work/$name"
rm -rf "$dir"; mkdir -p "$dir"
cp "$cases/base.rules" "$dir/"
for f in "$cases/$name"/*; do
  [ "$(basename "$f")" = expect ] || cp "$f" "$dir/"
done
"$bin" --check-rules "$dir" > "$work/$name.out" 2> "$work/$name.err"
rc=$?
fail=0 checks=0
while IFS= read -r line; do
  key=${line%% *} text=${line#* }
  case $key in
    exit) want=$text ;;
    stdout|stderr)
      checks=$((checks + 1))
      grep -qF -- "$text" "$work/$name.${key#std}" ||
        { echo "FAIL: $key lacks: $text"; fail=1; } ;;
    *) echo "FAIL: $cases/$name/expect: bad line: $line"; fail=1 ;;
  esac
done < "$cases/$name/expect"
[ "${want:-}" = "$rc" ] || { echo "FAIL: exit $rc, expected ${want:-?}"; fail=1; }
[ $checks -gt 0 ] || { echo "FAIL: $cases/$name/expect checks no output"; fail=1; }
if [ $fail != 0 ]; then
  echo "--- stdout"; cat "$work/$name.out"; echo "--- stderr"; cat "$work/$name.err"
fi
exit $fail
