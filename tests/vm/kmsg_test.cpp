// SPDX-License-Identifier: GPL-2.0-only
// goodbye and showparams write exactly one kernel log line each, with the
// exact text from docs/SPEC.md, after the module prefix and the caller's pid
// and comm; message texts are escaped and quoted, and cannot hide or forge
// the caller.
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

    // The test runs in the initial pid namespace: no "nspid".
    static std::string caller()
    {
        return "[pid " + std::to_string(getpid()) + " comm \"" + self_comm() + "\"]";
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
    EXPECT_EQ(lines[0], "kcall: " + caller() + " Goodbye, cruel world !");
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
        EXPECT_EQ(lines[0], "kcall: " + caller() + " " + text);
    }
}

// The text is user controlled: bytes that are not printable ASCII, the
// quote and the backslash are escaped as \xHH, so that a message can
// neither forge a second log line nor close its quotes.
TEST_F(KernelLog, MessageLogsItsTextEscaped)
{
    // /dev/kmsg itself shows a backslash as "\x5c".
    const std::pair<std::string, std::string> cases[] = {
        {"hello kernel", "hello kernel"},
        {"", ""},
        {"tab\there\nkcall: forged", "tab\\x5cx09here\\x5cx0akcall: forged"},
        {"say \"hi\" \\o/", "say \\x5cx22hi\\x5cx22 \\x5cx5co/"},
    };
    for (const auto &[text, logged] : cases) {
        auto arg = zeroed<struct kcall_message>();
        arg.text = reinterpret_cast<uintptr_t>(text.c_str());
        ASSERT_EQ(dev_.call(KCALL_IOC_MESSAGE, &arg), 0);
        const auto lines = matching(kmsg_.read_new(), "message(");
        ASSERT_EQ(lines.size(), 1U) << text;
        EXPECT_EQ(lines[0], "kcall: " + caller() + " message(\"" + logged + "\")");
    }
}

// 255 bytes that each escape to four characters still give one whole
// record that names the caller first; the text is cut, visibly ("..."),
// never the caller.
TEST_F(KernelLog, LongestEscapedMessageStillNamesItsCaller)
{
    const std::string text(KCALL_MESSAGE_MAX, '\x01');
    auto arg = zeroed<struct kcall_message>();
    arg.text = reinterpret_cast<uintptr_t>(text.c_str());
    ASSERT_EQ(dev_.call(KCALL_IOC_MESSAGE, &arg), 0);
    const auto lines = matching(kmsg_.read_new(), "message(");
    ASSERT_EQ(lines.size(), 1U);
    const std::string head = "kcall: " + caller() + " message(\"";
    ASSERT_EQ(lines[0].compare(0, head.size(), head), 0) << lines[0];
    EXPECT_EQ(lines[0].substr(lines[0].size() - 5), "\"...)") << lines[0];
    EXPECT_NE(lines[0].find("\\x5cx01\\x5cx01"), std::string::npos) << lines[0];
}

// A text that imitates the caller tag of another process cannot make the
// line read as that process's: the caller comes first, and the text's
// quotes are escaped, so the forged tag stays inside the quoted text.
TEST_F(KernelLog, MessageCannotForgeAnotherCaller)
{
    const std::string text = "\") [pid 1 comm \"systemd\"] message(\"x";
    auto arg = zeroed<struct kcall_message>();
    arg.text = reinterpret_cast<uintptr_t>(text.c_str());
    ASSERT_EQ(dev_.call(KCALL_IOC_MESSAGE, &arg), 0);
    const auto lines = matching(kmsg_.read_new(), "message(");
    ASSERT_EQ(lines.size(), 1U);
    const std::string &line = lines[0];
    // The first caller tag is ours...
    ASSERT_EQ(line.rfind("kcall: " + caller() + " message(\"", 0), 0U) << line;
    // ...and the only real quotes are the text's own pair.
    const std::string inner = line.substr(line.find("message(\"") + 9);
    EXPECT_EQ(inner.find('"'), inner.size() - 2) << line;
    EXPECT_EQ(inner.substr(inner.size() - 2), "\")") << line;
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
