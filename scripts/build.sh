#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Configure and build the user-space side (tests, tools) in build/cmake.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$top" -B "$top/build/cmake" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$top/build/cmake" -j "$(nproc)"
