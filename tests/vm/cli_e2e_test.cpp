// SPDX-License-Identifier: GPL-2.0-only
// The installed-style kcall CLI end to end on both transports, with its
// --json output parsed back.
#include <gtest/gtest.h>

#include <unistd.h>

#include <optional>
#include <regex>
#include <string>

#include "command.h"
#include "operations.h"

namespace kcall_test {
namespace {

const std::string kCli = KCALL_CLI_PATH;

// The "result" number of a --json success line, or nullopt.
std::optional<int64_t> json_result(const std::string &out, const std::string &op,
                                   const std::string &transport)
{
    const std::regex re(R"(^\{"op":")" + op + R"(","transport":")" + transport +
                        R"(","result":(-?[0-9]+)\}\n$)");
    std::smatch m;
    if (!std::regex_match(out, m, re))
        return std::nullopt;
    return std::stoll(m[1]);
}

class CliE2e : public testing::TestWithParam<const char *> {};

TEST_P(CliE2e, JsonResultsParseBack)
{
    const std::string t = GetParam();
    CmdResult r = run_command(kCli + " --json -t " + t + " retparam 1024");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(json_result(r.output, "retparam", t), 1024) << r.output;

    // The CLI is our direct child: its parent is this process.
    r = run_command(kCli + " --json -t " + t + " retpid parent");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(json_result(r.output, "retpid", t), getpid()) << r.output;

    r = run_command(kCli + " --json -t " + t + " taskcount");
    ASSERT_EQ(r.status, 0) << r.output;
    std::printf("kcall --json -t %s taskcount: %s", t.c_str(), r.output.c_str());
    const auto n = json_result(r.output, "taskcount", t);
    ASSERT_TRUE(n.has_value()) << r.output;
    EXPECT_GT(*n, 1);

    r = run_command(kCli + " --json -t " + t + " goodbye");
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(r.output, R"({"op":"goodbye","transport":")" + t + "\"}\n");
}

TEST_P(CliE2e, FailuresExitNonZeroWithOneLine)
{
    const std::string t = GetParam();
    const CmdResult r = run_command(kCli + " -t " + t + " retparam 1025");
    EXPECT_EQ(r.status, 1) << r.output;
    const std::string want = t == std::string("netlink")
                                 ? "kcall: retparam: Invalid argument: value above 1024\n"
                                 : "kcall: retparam: Invalid argument\n";
    EXPECT_EQ(r.output, want);

    const CmdResult p = run_command(kCli + " -t " + t + " retpid 2");
    EXPECT_EQ(p.status, 1) << p.output;
    EXPECT_EQ(p.output.rfind("kcall: retpid: Invalid argument", 0), 0U) << p.output;
}

TEST_P(CliE2e, TextOutput)
{
    const CmdResult r = run_command(kCli + " -t " + std::string(GetParam()) + " retparam 7");
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.output, "7\n");
}

TEST_P(CliE2e, MessageStatsVersion)
{
    const std::string t = GetParam();
    CmdResult r = run_command(kCli + " -t " + t + " message 'hello from the cli'");
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(r.output, "message: done (see the kernel log)\n");

    // Too long is the CLI's usage error: it never reaches the kernel.
    r = run_command(kCli + " -t " + t + " message " + std::string(256, 'x'));
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_EQ(r.output, "kcall: message: the text is 256 bytes, at most 255 (see kcall --help)\n");

    r = run_command(kCli + " -t " + t + " stats");
    ASSERT_EQ(r.status, 0) << r.output;
    std::printf("kcall -t %s stats:\n%s", t.c_str(), r.output.c_str());
    EXPECT_TRUE(std::regex_search(r.output, std::regex(R"(\nmessage +[1-9][0-9]* +[0-9]+\n)")))
        << r.output;

    r = run_command(kCli + " --json -t " + t + " stats");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_TRUE(std::regex_search(
        r.output,
        std::regex(R"(^\{"op":"stats","transport":")" + t +
                   R"(","result":\[\{"op":"goodbye","calls":[0-9]+,"failures":[0-9]+\},)")))
        << r.output;

    r = run_command(kCli + " -t " + t + " version");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(r.output, "abi " + std::to_string(KCALL_ABI_VERSION) + "\nfeatures " +
                            operation_names() + " batch io_uring\n");
}

TEST_P(CliE2e, StatsResetIsForAdminsOnly)
{
    const std::string t = GetParam();
    CmdResult r = run_command(kCli + " -t " + t + " stats-reset");
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_EQ(r.output, "stats-reset: done\n");
    r = run_command("setpriv --reuid=65534 --regid=65534 --clear-groups " + kCli + " -t " + t +
                    " stats-reset");
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_EQ(r.output.rfind("kcall: stats-reset: Operation not permitted", 0), 0U) << r.output;
}

INSTANTIATE_TEST_SUITE_P(BothTransports, CliE2e, testing::Values("ioctl", "netlink"));

// kcall monitor prints the calls other processes make, live, as JSON lines.
TEST(CliE2eMonitor, PrintsCallsFromBothTransports)
{
    const std::string out = "/tmp/kcall-monitor-test.out";
    // Started in the background; the sleep lets it join the group first.
    const CmdResult r =
        run_command("sh -c '" + kCli + " monitor --json --count 2 --timeout 10 > " + out +
                    " & sleep 2; " + kCli + " -t ioctl retparam 11 >/dev/null; " + kCli +
                    " -t netlink retparam 2000 2>/dev/null; wait $!; cat " + out + "'");
    ASSERT_EQ(r.status, 0) << r.output;
    std::printf("kcall monitor --json:\n%s", r.output.c_str());
    const std::regex ok(
        R"(\{"op":"retparam","transport":"ioctl","pid":[0-9]+,"comm":"kcall","arg":11,"result":11\}\n)");
    const std::regex fail(
        R"(\{"op":"retparam","transport":"netlink","pid":[0-9]+,"comm":"kcall","arg":2000,"errno":22\}\n)");
    EXPECT_TRUE(std::regex_search(r.output, ok)) << r.output;
    EXPECT_TRUE(std::regex_search(r.output, fail)) << r.output;
}

TEST(CliE2eVersion, ShowsClientAndModuleVersions)
{
    const CmdResult r = run_command(kCli + " --version");
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.output.find("(client), module 0."), std::string::npos) << r.output;
}

}  // namespace
}  // namespace kcall_test
