// SPDX-License-Identifier: GPL-2.0-only
// The default connection at the edges of a thread's and the process's
// life: each scenario of kcall_default_conn_lifetime
// (default_conn_lifetime_main.cpp) in a process of its own, as a crash
// there must fail the test and not the test binary. In the sanitizer build
// a use after free is a report and a failed exit.
#include <gtest/gtest.h>

#include <string>

#include "run_program.hpp"

namespace kcall_test {
namespace {

ProgramRun scenario(const std::string &name)
{
    return run_program(std::string(KCALL_LIFETIME_PATH) + " " + name);
}

TEST(DefaultConnectionLifetime, AnIdleThreadsExitLeavesAnotherThreadsConnectionOpen)
{
    const ProgramRun r = scenario("idle-worker");
    EXPECT_TRUE(clean_exit(r)) << "status " << r.status << "\n" << r.output;
}

TEST(DefaultConnectionLifetime, AKeyDestructorAfterTheLibrarysCanCall)
{
    const ProgramRun r = scenario("key-destructor");
    EXPECT_TRUE(clean_exit(r)) << "status " << r.status << "\n" << r.output;
}

TEST(DefaultConnectionLifetime, AnAtexitHandlerCanCallAfterAFailedCall)
{
    const ProgramRun r = scenario("atexit");
    EXPECT_TRUE(clean_exit(r)) << "status " << r.status << "\n" << r.output;
}

TEST(DefaultConnectionLifetime, NoExitForkOrChildCallWaitsForAnOpen)
{
    const ProgramRun r = scenario("slow-open");
    EXPECT_TRUE(clean_exit(r)) << "status " << r.status << "\n" << r.output;
}

}  // namespace
}  // namespace kcall_test
