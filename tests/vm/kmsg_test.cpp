// SPDX-License-Identifier: GPL-2.0-only
// goodbye and showparams write exactly one kernel log line each, with the
// exact text from SPEC.md, the module prefix and the caller's pid and comm.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <climits>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "kcall_dev.h"
#include "kmsg_reader.h"
#include "proc_util.h"

namespace kcall_test {
namespace {

class KernelLog : public testing::Test {
protected:
    // The module rate-limits its log lines (printk's default: a burst of
    // 10 per 5 s per call site). Other tests in this binary call goodbye
    // and showparams too; wait out the window so ours start a fresh one.
    static void SetUpTestSuite() { usleep(5'100'000); }

    void SetUp() override
    {
        ASSERT_TRUE(dev_.ok());
        ASSERT_TRUE(kmsg_.ok()) << "open /dev/kmsg: " << std::strerror(errno);
        kmsg_.read_new();
    }

    std::string caller() const
    {
        return "[pid " + std::to_string(getpid()) + " comm " + self_comm() + "]";
    }

    Device dev_;
    KmsgReader kmsg_;
};

TEST_F(KernelLog, GoodbyeLogsExactlyOneLine)
{
    auto arg = zeroed<kcall_goodbye>();
    ASSERT_EQ(dev_.call(KCALL_IOC_GOODBYE, &arg), 0);
    const auto lines = matching(kmsg_.read_new(), "Goodbye, cruel world !");
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0], "kcall: Goodbye, cruel world ! " + caller());
}

TEST_F(KernelLog, ShowparamsLogsItsValueAsSignedDecimal)
{
    for (int value : {424242, -7, INT_MIN, INT_MAX}) {
        auto arg = zeroed<kcall_showparams>();
        arg.value = value;
        ASSERT_EQ(dev_.call(KCALL_IOC_SHOWPARAMS, &arg), 0);
        const std::string text = "showparams(" + std::to_string(value) + ")";
        const auto lines = matching(kmsg_.read_new(), "showparams(");
        ASSERT_EQ(lines.size(), 1U) << text;
        EXPECT_EQ(lines[0], "kcall: " + text + " " + caller());
    }
}

// The text is user controlled: non-printable bytes are escaped so that a
// message cannot forge a second log line.
TEST_F(KernelLog, MessageLogsItsTextEscaped)
{
    const std::pair<std::string, std::string> cases[] = {
        {"hello kernel", "hello kernel"},
        {"", ""},
        // The kernel writes "\t" and "\n" as two characters each, and
        // /dev/kmsg shows their backslash as "\x5c".
        {"tab\there\nkcall: forged", "tab\\x5cthere\\x5cnkcall: forged"},
    };
    for (const auto &[text, logged] : cases) {
        auto arg = zeroed<struct kcall_message>();
        arg.text = reinterpret_cast<uintptr_t>(text.c_str());
        ASSERT_EQ(dev_.call(KCALL_IOC_MESSAGE, &arg), 0);
        const auto lines = matching(kmsg_.read_new(), "message(");
        ASSERT_EQ(lines.size(), 1U) << text;
        EXPECT_EQ(lines[0], "kcall: message(\"" + logged + "\") " + caller());
    }
}

TEST_F(KernelLog, FailedCallsLogNothing)
{
    auto arg = zeroed<kcall_showparams>();
    arg.flags = 1;
    ASSERT_EQ(dev_.call(KCALL_IOC_SHOWPARAMS, &arg), EINVAL);
    EXPECT_TRUE(matching(kmsg_.read_new(), "kcall:").empty());
}

}  // namespace
}  // namespace kcall_test
