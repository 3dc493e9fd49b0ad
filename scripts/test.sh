#!/usr/bin/env bash
# test.sh - set up, build and run every test: the Check suites of each
# module and the end-to-end tests, first in a normal build, then under
# AddressSanitizer + UndefinedBehaviorSanitizer.
#
#   scripts/test.sh            everything (what CI runs)
#   DAFTAR_TEST_FAST=1 ...     skip the sanitizer pass
set -euo pipefail
cd "$(dirname "$0")/.."

DAFTAR_NO_BUILD=1 scripts/setup.sh

jobs=$(nproc)
export OMP_THREAD_LIMIT=1
export CTEST_OUTPUT_ON_FAILURE=1

echo "== build (RelWithDebInfo, -Werror)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDAFTAR_SANITIZE=OFF >/dev/null
cmake --build build -j "$jobs"
echo "== tests"
ctest --test-dir build -j "$jobs" --timeout 1200

if [ "${DAFTAR_TEST_FAST:-0}" != 1 ]; then
  echo "== build (ASan + UBSan)"
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DDAFTAR_SANITIZE=ON >/dev/null
  cmake --build build-asan -j "$jobs"
  echo "== tests under ASan + UBSan"
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
  export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  ctest --test-dir build-asan -j "$jobs" --timeout 1800
fi
