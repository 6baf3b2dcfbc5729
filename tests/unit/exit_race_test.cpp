// SPDX-License-Identifier: GPL-2.0-only
// Threads calling through the default connection while the process exits
// (kcall_exit_race) find it intact. In the sanitizer build (build/asan,
// scripts/test.sh) a use after free there is an ASan report and a failed
// exit; the plain build runs the same program.
#include <gtest/gtest.h>

#include "run_program.hpp"

namespace kcall_test {
namespace {

TEST(ExitRace, ThreadsCallingDuringExitFindTheDefaultConnectionIntact)
{
    for (int run = 0; run < 20; run++) {
        const ProgramRun r = run_program(KCALL_EXIT_RACE_PATH);
        ASSERT_TRUE(clean_exit(r)) << "run " << run << ": status " << r.status << "\n" << r.output;
    }
}

}  // namespace
}  // namespace kcall_test
