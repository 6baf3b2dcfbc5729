// SPDX-License-Identifier: GPL-2.0-only
// 32-bit callers get the same results: the same program, built 64-bit and
// -m32 (scripts/build.sh), prints the same lines through compat_ioctl.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include <kcall.h>

#include "command.h"
#include "operations.h"

namespace kcall_test {
namespace {

const std::string kNative = KCALL_COMPAT_NATIVE;
const std::string kM32 = KCALL_COMPAT_M32;

// Everything after the first line ("pointer size: ...").
std::string body(const std::string &out)
{
    const auto nl = out.find('\n');
    return nl == std::string::npos ? "" : out.substr(nl + 1);
}

TEST(Compat32, ThirtyTwoBitProgramGetsIdenticalResults)
{
    std::ifstream elf(kM32, std::ios::binary);
    ASSERT_TRUE(elf.good()) << kM32 << " missing: scripts/build.sh builds it";
    char ident[5] = {};
    elf.read(ident, sizeof(ident));
    ASSERT_EQ(ident[4], 1) << kM32 << " is not a 32-bit ELF";

    const CmdResult native = run_command(kNative);
    const CmdResult m32 = run_command(kM32);
    std::printf("-m32 kcall_compat_test:\n%s", m32.output.c_str());
    ASSERT_EQ(native.status, 0) << native.output;
    ASSERT_EQ(m32.status, 0) << m32.output;
    EXPECT_EQ(native.output.rfind("pointer size: native\n", 0), 0U);
    EXPECT_EQ(m32.output.rfind("pointer size: compat\n", 0), 0U);
    EXPECT_EQ(body(m32.output), body(native.output));
    // And the results are the right ones, not merely equal.
    for (const std::string &want :
         {std::string("raw retparam(1024): 1024\n"), std::string("raw retparam(1025): errno 22"),
          std::string("raw retpid(0) = getpid(): 1\n"),
          std::string("raw retpid(1) = getppid(): 1\n"), std::string("raw taskcount > 0: 1\n"),
          "raw version: rc 0 abi " + std::to_string(KCALL_ABI_VERSION) + " reserved 0",
          std::string("raw message(NULL): errno 14"), std::string("capi retparam(7): 7\n"),
          "capi stats: " + std::to_string(kOperationCount) + "\n"})
        EXPECT_NE(m32.output.find(want), std::string::npos) << want << " in\n" << m32.output;
}

}  // namespace
}  // namespace kcall_test
