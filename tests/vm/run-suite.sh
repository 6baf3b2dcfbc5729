#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs the whole in-VM suite inside a guest with the module loaded:
#   run-suite.sh BUILD_DIR RESULTS_DIR
# Each test binary writes a JUnit report to RESULTS_DIR. Exits non-zero
# when any binary fails.
set -u

build=$1
results=$2
rc=0
"$build/tests/kcall_vm_tests" --gtest_output="xml:$results/vm-tests.xml" || rc=1
# Last: it unloads and reloads the module.
"$build/tests/kcall_vm_unload_tests" --gtest_output="xml:$results/vm-unload-tests.xml" || rc=1
exit "$rc"
