#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The evaluation of tests/eval/eval.sh from a build directory: confusion
# matrices on the dev corpus (report only, and with a kernel tree) and the
# coverage of full mode on the fixture kernel's reports.
#
# usage: bench/eval.sh [BUILD_DIR] [LINUX_SRC]
#   BUILD_DIR  default: build (run `ctest -R golden-full/setup` in it first
#              so the fixture's vmlinux and source are unpacked there)
#   LINUX_SRC  default: ../linux/linux-source-6.1 beside the checkout
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
linux_src=${2:-$here/../linux/linux-source-6.1}
exec sh "$here/tests/eval/eval.sh" "$build/kcsan-triage" "$here/../shared" "$linux_src" \
	"$build/golden-full/vmlinux" "$build/golden-full/src"
