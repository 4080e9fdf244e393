#!/usr/bin/env bash
# Build the libFuzzer harnesses with clang and run each for SECONDS (default
# 20), seeded from testdata and ../shared. Crashes land in fuzz/crash-*;
# each one found becomes a regression test in tests/hardening/.
#
# usage: fuzz/run.sh [SECONDS] [HARNESS...]
# fuzz_source (the source stage on real trees) runs only when named.
# environment:
#   KT_FUZZ_BUILD    build directory (default build-fuzz)
#   KT_FUZZ_SANITIZE 1 (default): ASan + UBSan; 0: coverage only, several
#                    times faster, for long runs that count executions
#   KT_FUZZ_RUNS     stop each harness after this many executions instead
#   KT_FUZZ_NICE     run the fuzzers under this nice level (default 0)
#   KT_FUZZ_SEED     fuzz_source: the seed (default 1); iteration i of a seed
#                    is the same mutated report on every run
#   KT_FUZZ_TREES    fuzz_source: kernel trees, colon-separated (default: the
#                    fixture's source, unpacked into the build, and the
#                    prepared Debian trees in ../linux when present)
#   KT_FUZZ_SOURCE_BUILD  fuzz_source: an ASan + UBSan build that has it
#                    (default: build-fuzz-source, configured here)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-20}
shift || true
harnesses=("$@")
all=(fuzz_report fuzz_rules fuzz_tables fuzz_json fuzz_llm fuzz_elf fuzz_compdb fuzz_cache fuzz_census)
[ ${#harnesses[@]} -gt 0 ] || harnesses=("${all[@]}")
shared=${KT_SHARED_DIR:-$root/../shared}
build=${KT_FUZZ_BUILD:-$root/build-fuzz}
sanitize=${KT_FUZZ_SANITIZE:-1}
nicelevel=${KT_FUZZ_NICE:-0}
# The source stage's fuzzer: a program of its own, built with ASan + UBSan
# (not libFuzzer: an execution parses kernel files with libclang).
run_source() { # seconds
  local b=${KT_FUZZ_SOURCE_BUILD:-$root/build-fuzz-source} trees=() t out rc s
  if [ -z "${KT_FUZZ_SOURCE_BUILD:-}" ]; then
    cmake -S "$root" -B "$b" -DKT_WERROR=ON -DKT_SANITIZE=$([ "$sanitize" = 1 ] && echo ON || echo OFF) \
      -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  cmake --build "$b" -j2 --target fuzz_source >/dev/null
  if [ -n "${KT_FUZZ_TREES:-}" ]; then
    IFS=: read -r -a trees <<<"$KT_FUZZ_TREES"
  else
    if [ ! -d "$b/fuzz-src/tree" ] && [ -x "$shared/fixtures/kcsan-6.1/unpack-source.sh" ]; then
      "$shared/fixtures/kcsan-6.1/unpack-source.sh" "$b/fuzz-src/tree" >/dev/null
    fi
    for t in "$b/fuzz-src/tree" "$root/../linux/linux-source-6.1" "$root/../linux/linux-source-6.12"; do
      [ -f "$t/Makefile" ] && trees+=(--src "$t")
    done
  fi
  [ ${#trees[@]} -gt 0 ] || { echo "fuzz_source: no kernel tree, skipping"; return 0; }
  [ "${trees[0]}" = --src ] || { local a=(); for t in "${trees[@]}"; do a+=(--src "$t"); done; trees=("${a[@]}"); }
  out="$b/fuzz-source-out"
  mkdir -p "$out"
  s=(); for t in "$shared"/corpus/*/reports "$shared"/corpus/unlabeled "$shared"/corpus/llm/*.report.txt \
    "$shared"/fixtures/*/reports/{symbolized,decoded,raw}; do [ -e "$t" ] && s+=("$t"); done
  echo "== fuzz_source for ${KT_FUZZ_RUNS:+$KT_FUZZ_RUNS executions, at most }${1}s, seed ${KT_FUZZ_SEED:-1}"
  ASAN_OPTIONS="abort_on_error=1:detect_leaks=1${asan_opts:+:$asan_opts}" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}" \
  LSAN_OPTIONS="suppressions=$root/tests/lsan.supp" \
  nice -n "$nicelevel" "$b/fuzz/fuzz_source" "${trees[@]}" --rules "$root/rules" --out "$out" \
    --seed "${KT_FUZZ_SEED:-1}" --time "$1" ${KT_FUZZ_RUNS:+--runs "$KT_FUZZ_RUNS"} "${s[@]}"
  rc=$?
  if [ $rc != 0 ]; then
    cp "$out/current.txt" "$root/fuzz/crash-source-seed${KT_FUZZ_SEED:-1}-$(date +%s).txt"
    echo "fuzz_source: exit $rc; the report is in fuzz/crash-source-*.txt" >&2
  fi
  return $rc
}
# (fuzz_source keeps ASan's fast unwinder: libclang allocates a lot)
asan_opts=${ASAN_OPTIONS:-}
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0
export LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$root/fuzz/lsan.supp
status=0
if [[ " ${harnesses[*]} " == *" fuzz_source "* ]]; then
  run_source "$secs" || status=1
  rest=(); for h in "${harnesses[@]}"; do [ "$h" = fuzz_source ] || rest+=("$h"); done
  [ ${#rest[@]} -gt 0 ] || exit $status
  harnesses=("${rest[@]}")
fi

command -v clang >/dev/null || { echo "fuzz: clang not installed, skipping"; exit 0; }
# The compile_commands.json and cache harnesses write each input into a fresh
# mkdtemp() directory: on tmpfs when there is one, which is many times faster.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then export TMPDIR=/dev/shm; fi
# Leaks that are not ours (fuzz/lsan.supp) are named by a frame inside the
# library, which only a full unwind at malloc finds (set above).

flags="-fsanitize=fuzzer-no-link"
[ "$sanitize" = 1 ] && flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined $flags"
CC=clang cmake -S "$root" -B "$build" -DKT_FUZZ=ON -DBUILD_TESTING=OFF -DKT_WERROR=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS="$flags" >/dev/null
cmake --build "$build" -j2 --target "${harnesses[@]}" >/dev/null

# The mini kernel, compiled as tests/binary/mk.c compiles it, with each
# compiler and DWARF version available: small real vmlinux-like ELFs.
minikernels() { # dest
  local src="$root/testdata/minikernel" w cc v tsan
  w=$(mktemp -d "${TMPDIR:-/tmp}/kt-fuzz-mk-XXXXXX")
  for cc in gcc clang; do
    command -v $cc >/dev/null || continue
    if [ $cc = gcc ]; then tsan="--param tsan-instrument-func-entry-exit=0"
    else tsan="-mllvm -tsan-instrument-func-entry-exit=0 -Wno-unused-command-line-argument"; fi
    for v in 4 5; do
      rm -f "$w"/*.o
      cp "$src"/mk*.[ch] "$w"/
      (cd "$w" && for f in mk_globals mk_inode mk_time; do
         $cc -g -O2 -gdwarf-$v -fsanitize=thread $tsan -fno-optimize-sibling-calls -fno-pie \
           -c $f.c -o $f.o || exit 1; done &&
       $cc -O2 -fno-pie -c mk_tsan.c -o mk_tsan.o &&
       $cc -Wno-unused-command-line-argument -static -nostdlib -no-pie -Wl,--unique=.data..percpu \
         -Wl,-e,mk_start -o "$1/mk-$cc-dwarf$v" mk_globals.o mk_inode.o mk_time.o mk_tsan.o) \
        >/dev/null 2>&1 || echo "fuzz: mini kernel with $cc -gdwarf-$v failed" >&2
    done
  done
  # Hand-written DWARF with type cycles and deep nesting (tests/hardening).
  if gcc -DKT_CRAFTED_MAIN -o "$w/crafted" "$root/tests/hardening/crafted_dwarf.c" 2>/dev/null &&
     "$w/crafted" "$w" 40 >/dev/null 2>&1; then
    cp "$w/crafted.elf" "$1/crafted-dwarf"
  fi
  rm -rf "$w"
}

seed_dir() { # harness -> directory of seeds
  local d="$build/seeds-$1"
  rm -rf "$d"; mkdir -p "$d"
  case $1 in
    fuzz_report)
      cp "$root"/testdata/golden/*.txt "$d"/ 2>/dev/null || true
      cp "$root"/testdata/parser/* "$d"/ 2>/dev/null || true
      # every form a report circulates in: quoted, indented, elided, decoded
      cp "$root"/testdata/parser/forms/*.txt "$d"/ 2>/dev/null || true
      cp "$shared"/corpus/dev/reports/*.txt "$d"/ 2>/dev/null || true
      for f in "$shared"/fixtures/kcsan-6.1-patterns/reports/decoded/*.txt; do
        [ -f "$f" ] && cp "$f" "$d/decoded-$(basename "$f")"
      done ;;
    fuzz_rules)
      cp "$root"/rules/*.rules "$d"/ 2>/dev/null || true
      cp "$root"/testdata/rules/* "$d"/ 2>/dev/null || true ;;
    fuzz_tables)
      for t in "$root"/rules/*.tbl "$root"/testdata/check-rules/*/*.tbl "$root"/testdata/tables/*.tbl; do
        cp "$t" "$d/$(basename "$(dirname "$t")")-$(basename "$t")"
      done ;;
    fuzz_json|fuzz_llm)
      cp "$shared"/corpus/llm/*.json "$d"/ 2>/dev/null || true
      cp "$root"/testdata/hardening/*.json "$d"/ 2>/dev/null || true
      [ $1 = fuzz_llm ] && cp "$shared"/seeds/*.txt "$d"/ 2>/dev/null || true
      printf '{"Benign": true, "Confident": false, "Explanation": "a \\u00e9 \\ud83d\\ude00"}' > "$d/small.json"
      printf '[1, -2.5e3, null, "x", {"a": [true, false]}]' > "$d/array.json" ;;
    fuzz_elf)
      minikernels "$d"
      # The head of a real vmlinux: headers, and a section table that
      # points past the end.
      if [ -f "$shared/fixtures/kcsan-6.1/vmlinux.xz" ]; then
        xz -dc "$shared/fixtures/kcsan-6.1/vmlinux.xz" 2>/dev/null | head -c 65536 > "$d/vmlinux-head" || true
      fi ;;
    fuzz_compdb)
      if [ -f "$shared/fixtures/kcsan-6.1/compile_commands.json.xz" ]; then
        xz -dc "$shared/fixtures/kcsan-6.1/compile_commands.json.xz" 2>/dev/null |
          head -c 4000 | sed '$d' | sed '$ s/,$//' > "$d/head.json" || true
        printf ']\n' >> "$d/head.json"
      fi
      printf '[{"directory": "/b", "file": "mm/shmem.c", "arguments": ["gcc", "-Iinclude", "-fconserve-stack", "-c", "mm/shmem.c"]}]\n' > "$d/args.json"
      printf '[{"directory": "/b/", "file": "/b/a.c", "command": "gcc -D X=1 -Wp,-MMD,x.d -I ./include \\"a b.c\\""}]\n' > "$d/command.json" ;;
    fuzz_cache)
      # payloads: one chain record, one ranges record (see analyzer/binary/cache.c)
      printf '\003\0\0\0\001\0\0\0\0\0\0\0\020\0\0\0\0\0\0\0\001\0\0\0\007\0\0\0\001\0\0\0f\377\377\377\377' > "$d/chain"
      printf '\001\0\0\0\001\0\0\0\0\0\0\0\0\020\0\0\0\0\0\0\0\040\0\0\0\0\0\0\0\0\0\0\0\0\0\0' > "$d/ranges" ;;
    fuzz_census)
      # the index of the census mini tree, as kt-census writes it
      cmake --build "$build" -j2 --target kt-census >/dev/null &&
        "$build/kt-census" --src "$root/testdata/census/tree" --cache-dir "$d/cache" \
          'struct port::mtu' >/dev/null 2>&1 && cp "$d"/cache/*.idx "$d/" 2>/dev/null
      rm -rf "$d/cache" ;;
  esac
  echo "$d"
}

for h in "${harnesses[@]}"; do
  seeds=$(seed_dir "$h")
  mkdir -p "$build/corpus-$h"
  limit=(-max_total_time="$secs")
  [ -n "${KT_FUZZ_RUNS:-}" ] && limit=(-runs="$KT_FUZZ_RUNS")
  echo "== $h for ${KT_FUZZ_RUNS:+$KT_FUZZ_RUNS executions, at most }${secs}s"
  out=$(cd "$root/fuzz" && nice -n "$nicelevel" "$build/fuzz/$h" "${limit[@]}" \
      -max_total_time="$secs" -max_len=1048576 -rss_limit_mb=2048 -timeout=10 \
      -print_final_stats=1 "$build/corpus-$h" "$seeds" 2>&1) || status=1
  grep -E "stat::number_of_executed_units|==ERROR|^SUMMARY|crash-|leak-|timeout-|oom-|^Done" <<<"$out" || true
done
exit $status
