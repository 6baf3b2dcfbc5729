// SPDX-License-Identifier: GPL-2.0-only
// The default connection at the edges of a thread's and the process's
// life: each scenario of kcall_default_conn_lifetime
// (default_conn_lifetime_main.cpp) in a process of its own, as a crash
// there must fail the test and not the test binary. In the sanitizer build
// a use after free is a report and a failed exit.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "run_program.hpp"

namespace kcall_test {
namespace {

// idle-worker: an idle thread's exit leaves another thread's connection
// open; key-destructor: a later key's destructor can call; atexit: an
// atexit handler can call after a failed call; slow-open: no exit, fork or
// child's call waits for an open; fork-release: a child's release closes
// the parent's other threads' connections too; cancel-open: a thread cancelled while
// its first call waits in open() ends cancelled, and the process goes on.
class DefaultConnectionLifetime : public testing::TestWithParam<const char *> {};

TEST_P(DefaultConnectionLifetime, Scenario)
{
    const ProgramRun r = run_program(std::string(KCALL_LIFETIME_PATH) + " " + GetParam());
    EXPECT_TRUE(clean_exit(r)) << "status " << r.status << "\n" << r.output;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, DefaultConnectionLifetime,
                         testing::Values("idle-worker", "key-destructor", "atexit", "slow-open",
                                         "fork-release", "cancel-open"),
                         [](const testing::TestParamInfo<const char *> &info) {
                             std::string name = info.param;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

}  // namespace
}  // namespace kcall_test
