#!/usr/bin/env bash
# Build the libFuzzer harnesses with clang and run each for SECONDS (default
# 20), seeded from testdata and ../shared. Crashes land in fuzz/crash-*;
# each one found becomes a regression test in tests/.
#
# usage: fuzz/run.sh [SECONDS] [HARNESS...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-20}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(fuzz_report fuzz_rules)
shared=${KT_SHARED_DIR:-$root/../shared}
build=${KT_FUZZ_BUILD:-$root/build-fuzz}
command -v clang >/dev/null || { echo "fuzz: clang not installed, skipping"; exit 0; }

CC=clang cmake -S "$root" -B "$build" -DKT_FUZZ=ON -DBUILD_TESTING=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_FLAGS="-fsanitize=address,undefined -fsanitize=fuzzer-no-link" >/dev/null
cmake --build "$build" -j2 --target "${harnesses[@]}" >/dev/null

seed_dir() { # harness -> directory of seeds
  local d="$build/seeds-$1"
  rm -rf "$d"; mkdir -p "$d"
  case $1 in
    fuzz_report)
      cp "$root"/testdata/golden/*.txt "$d"/ 2>/dev/null || true
      cp "$root"/testdata/parser/* "$d"/ 2>/dev/null || true
      cp "$shared"/corpus/dev/reports/*.txt "$d"/ 2>/dev/null || true ;;
    fuzz_rules)
      cp "$root"/rules/*.rules "$d"/ 2>/dev/null || true
      cp "$root"/testdata/rules/* "$d"/ 2>/dev/null || true ;;
  esac
  echo "$d"
}

for h in "${harnesses[@]}"; do
  seeds=$(seed_dir "$h")
  mkdir -p "$build/corpus-$h"
  echo "== $h for ${secs}s"
  (cd "$root/fuzz" && "$build/fuzz/$h" -max_total_time="$secs" -max_len=1048576 \
      -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 "$build/corpus-$h" "$seeds" 2>&1 |
    grep -E "stat::number_of_executed_units|ERROR|crash-|Done" || true)
done
