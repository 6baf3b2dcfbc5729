// SPDX-License-Identifier: GPL-2.0-only
// Threads calling through the default connection while the process exits
// (kcall_exit_race) find it intact. In the sanitizer build (build/asan,
// scripts/test.sh) a use after free there is an ASan report and a failed
// exit; the plain build runs the same program.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace kcall_test {
namespace {

TEST(ExitRace, ThreadsCallingDuringExitFindTheDefaultConnectionIntact)
{
    for (int run = 0; run < 20; run++) {
        // A sanitizer report with threads still spinning can hang the
        // dying process: bounded, and a hang is a failure too.
        FILE *p = popen("timeout -s KILL 30 " KCALL_EXIT_RACE_PATH " 2>&1", "r");
        ASSERT_NE(p, nullptr);
        std::string output;
        std::array<char, 4096> buf{};
        size_t n = 0;
        while ((n = fread(buf.data(), 1, buf.size(), p)) > 0)
            output.append(buf.data(), n);
        const int status = pclose(p);
        ASSERT_TRUE(WIFEXITED(status)) << "run " << run << ": killed by a signal\n" << output;
        ASSERT_EQ(WEXITSTATUS(status), 0) << "run " << run << "\n" << output;
        ASSERT_EQ(output.find("Sanitizer"), std::string::npos) << output;
    }
}

}  // namespace
}  // namespace kcall_test
