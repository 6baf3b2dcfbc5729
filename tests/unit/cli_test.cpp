// SPDX-License-Identifier: GPL-2.0-only
// The kcall CLI against a fake transport: parsing, transport selection,
// text and JSON output, error lines and exit codes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <kcall.h>  // the uapi

#include "cli.hpp"
#include "mock_backend.hpp"

namespace kcall_test {
namespace {

using kcall::Error;
using kcall::Op;
using testing::Return;

struct CliRun {
    int status;
    std::string out, err;
};

class Cli : public testing::Test {
protected:
    // Runs "kcall args..." with a client over a mock that expect() set up.
    CliRun run(std::vector<std::string> args)
    {
        args.insert(args.begin(), "kcall");
        std::vector<const char *> argv;
        argv.reserve(args.size());
        for (const auto &a : args)
            argv.push_back(a.c_str());
        std::ostringstream out, err;
        const int status = kcall::cli::run(
            static_cast<int>(argv.size()), argv.data(), out, err,
            [this](kcall::Transport t) -> kcall::Result<kcall::Client> {
                requested_ = t;
                if (open_error_.code)
                    return open_error_;
                const auto used = t == kcall::Transport::netlink ? t : kcall::Transport::ioctl;
                auto m = std::make_unique<testing::NiceMock<MockBackend>>();
                ON_CALL(*m, transport()).WillByDefault(Return(used));
                ON_CALL(*m, version()).WillByDefault(Return(kcall::ModuleVersion{2, kAllFeatures}));
                for (const auto &[op, arg, result] : script_)
                    EXPECT_CALL(*m, call(op, arg)).WillOnce(Return(result));
                if (setup_)
                    setup_(*m);
                return kcall::Client(std::move(m));
            });
        return {status, out.str(), err.str()};
    }

    void expect(Op op, int32_t arg, kcall::Result<int64_t> result)
    {
        script_.push_back({op, arg, std::move(result)});
    }

    struct Step {
        Op op;
        int32_t arg;
        kcall::Result<int64_t> result;
    };
    std::vector<Step> script_;
    std::function<void(MockBackend &)> setup_;  // more expectations
    kcall::Transport requested_ = kcall::Transport::automatic;
    Error open_error_;
};

TEST_F(Cli, PrintsTheResult)
{
    expect(Op::retparam, 7, int64_t{7});
    const CliRun r = run({"retparam", "7"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, "7\n");
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(requested_, kcall::Transport::automatic);
}

TEST_F(Cli, RetpidTakesSelfParentOrANumber)
{
    expect(Op::retpid, 0, int64_t{10});
    EXPECT_EQ(run({"retpid", "self"}).out, "10\n");
    script_.clear();
    expect(Op::retpid, 1, int64_t{1});
    EXPECT_EQ(run({"retpid", "parent"}).out, "1\n");
    script_.clear();
    expect(Op::retpid, 5, Error{EINVAL, "unknown retpid selector"});
    const CliRun r = run({"retpid", "5"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, "kcall: retpid: Invalid argument: unknown retpid selector\n");
    script_.clear();
    EXPECT_EQ(run({"retpid", "me"}).status, 2);
}

TEST_F(Cli, FailurePrintsOneLineAndExitsOne)
{
    expect(Op::retparam, 1025, Error{EINVAL, "value above 1024"});
    const CliRun r = run({"-t", "netlink", "retparam", "1025"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "kcall: retparam: Invalid argument: value above 1024\n");
    EXPECT_EQ(requested_, kcall::Transport::netlink);
}

// Global options may follow the subcommand; they apply before it runs.
TEST_F(Cli, GlobalOptionsAfterTheSubcommand)
{
    expect(Op::retparam, 7, int64_t{7});
    const CliRun r = run({"retparam", "7", "-t", "netlink", "--json"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "{\"op\":\"retparam\",\"transport\":\"netlink\",\"result\":7}\n");
    EXPECT_EQ(requested_, kcall::Transport::netlink);
}

TEST_F(Cli, FailureWithoutKernelMessage)
{
    expect(Op::taskcount, 0, Error{EINVAL, ""});
    const CliRun r = run({"taskcount"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, "kcall: taskcount: Invalid argument\n");
}

TEST_F(Cli, ModuleMissingIsAFailedCall)
{
    open_error_ = Error{ENOENT, ""};
    const CliRun r = run({"-t", "ioctl", "goodbye"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, "kcall: goodbye: No such file or directory\n");
}

TEST_F(Cli, JsonOutput)
{
    expect(Op::taskcount, 0, int64_t{83});
    CliRun r = run({"--json", "-t", "ioctl", "taskcount"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, "{\"op\":\"taskcount\",\"transport\":\"ioctl\",\"result\":83}\n");
    script_.clear();
    expect(Op::goodbye, 0, int64_t{0});
    r = run({"--json", "goodbye"});
    EXPECT_EQ(r.out, "{\"op\":\"goodbye\",\"transport\":\"ioctl\"}\n");
    script_.clear();
    expect(Op::retparam, -1, Error{EINVAL, "value \"above\" 1024"});
    r = run({"--json", "-t", "netlink", "retparam", "-1"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out,
              "{\"op\":\"retparam\",\"transport\":\"netlink\",\"error\":{\"errno\":22,"
              "\"message\":\"Invalid argument\",\"kernel\":\"value \\\"above\\\" 1024\"}}\n");
}

TEST_F(Cli, VoidOperationsSayWhereTheOutputWent)
{
    expect(Op::showparams, 42, int64_t{0});
    const CliRun r = run({"showparams", "42"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out, "showparams: done (see the kernel log)\n");
}

TEST_F(Cli, UsageErrorsExitTwo)
{
    EXPECT_EQ(run({}).status, 2);
    EXPECT_EQ(run({"retparam"}).status, 2);
    EXPECT_EQ(run({"retparam", "x"}).status, 2);
    EXPECT_EQ(run({"retparam", "99999999999"}).status, 2);
    EXPECT_EQ(run({"-t", "pigeon", "goodbye"}).status, 2);
    EXPECT_EQ(run({"frobnicate"}).status, 2);
}

// Each usage error: exit 2, nothing called, one line that starts with
// "kcall:" and says what was wrong.
TEST_F(Cli, UsageErrorsSayWhatWasWrong)
{
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"retparam", "abc"}, "kcall: retparam: 'abc' is not an integer (see kcall --help)\n"},
        {{"retparam", "99999999999"},
         "kcall: retparam: '99999999999' is out of range (-2147483648 to 2147483647) "
         "(see kcall --help)\n"},
        {{"showparams", "-2147483649"},
         "kcall: showparams: '-2147483649' is out of range (-2147483648 to 2147483647) "
         "(see kcall --help)\n"},
        {{"retparam", "12x"}, "kcall: retparam: '12x' is not an integer (see kcall --help)\n"},
        {{"frobnicate"}, "kcall: unknown command 'frobnicate' (see kcall --help)\n"},
        {{"-t", "ioctl", "frobnicate", "1"},
         "kcall: unknown command 'frobnicate' (see kcall --help)\n"},
        // No default command: a number alone is not one either.
        {{"5"}, "kcall: unknown command '5' (see kcall --help)\n"},
        {{},
         "kcall: a command is required: goodbye, showparams, retparam, retpid, taskcount, "
         "message, stats, stats-reset, version, batch, monitor (see kcall --help)\n"},
        {{"--json", "-t", "ioctl"},
         "kcall: a command is required: goodbye, showparams, retparam, retpid, taskcount, "
         "message, stats, stats-reset, version, batch, monitor (see kcall --help)\n"},
        {{"retpid", "me"},
         "kcall: retpid: invalid selector 'me' (use self, parent or a number) (see kcall "
         "--help)\n"},
        {{"message", std::string(256, 'a')},
         "kcall: message: the text is 256 bytes, at most 255 (see kcall --help)\n"},
        {{"monitor", "--timeout", "-1"},
         "kcall: monitor: --timeout: '-1' is not a number of seconds from 0 to 2147483 "
         "(see kcall --help)\n"},
        {{"monitor", "--timeout", "1e300"},
         "kcall: monitor: --timeout: '1e300' is not a number of seconds from 0 to 2147483 "
         "(see kcall --help)\n"},
        {{"monitor", "--count", "-3"},
         "kcall: monitor: --count: '-3' is out of range (0 to 18446744073709551615) "
         "(see kcall --help)\n"},
        {{"monitor", "--count", "18446744073709551616"},
         "kcall: monitor: --count: '18446744073709551616' is out of range (0 to "
         "18446744073709551615) (see kcall --help)\n"},
    };
    for (const auto &[args, message] : cases) {
        const CliRun r = run(args);
        EXPECT_EQ(r.status, 2) << (args.empty() ? "" : args[0]);
        EXPECT_EQ(r.err, message);
        EXPECT_EQ(r.out, "");
    }
    for (const std::vector<std::string> &args :
         std::vector<std::vector<std::string>>{{}, {"retparam"}, {"-t", "pigeon", "goodbye"}}) {
        const CliRun r = run(args);
        EXPECT_EQ(r.status, 2);
        EXPECT_EQ(r.err.rfind("kcall: ", 0), 0U) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
}

TEST_F(Cli, IntegersInRangeAndHexAreAccepted)
{
    expect(Op::retparam, 1024, int64_t{1024});
    EXPECT_EQ(run({"retparam", "0x400"}).out, "1024\n");
    script_.clear();
    expect(Op::showparams, INT32_MIN, int64_t{0});
    EXPECT_EQ(run({"showparams", "-2147483648"}).status, 0);
    script_.clear();
    setup_ = [](MockBackend &m) {
        EXPECT_CALL(m, message(std::string_view(std::string(255, 'a'))))
            .WillOnce(Return(kcall::Result<void>()));
    };
    EXPECT_EQ(run({"message", std::string(255, 'a')}).status, 0);
}

// retparam(7) by pid 42 named comm (any bytes: PR_SET_NAME).
kcall::Event retparam_event(kcall::Transport t, std::string comm)
{
    kcall::Event e;
    e.op = KCALL_CMD_RETPARAM;
    e.transport = t;
    e.pid = 42;
    e.comm = std::move(comm);
    e.arg = 7;
    e.result = 7;
    return e;
}

// A comm is any bytes (PR_SET_NAME): the JSON stays valid UTF-8, each
// invalid byte becoming U+FFFD, and quotes and controls are escaped.
TEST(CliEvents, JsonOfANonUtf8CommIsValidUtf8)
{
    kcall::Event e =
        retparam_event(kcall::Transport::ioctl, std::string("a\xff\xfe\"\n\xc3\xa9", 7));
    EXPECT_EQ(kcall::cli::event_line(e, true),
              "{\"op\":\"retparam\",\"transport\":\"ioctl\",\"pid\":42,"
              "\"comm\":\"a\xef\xbf\xbd\xef\xbf\xbd\\\"\\n\xc3\xa9\",\"arg\":7,\"result\":7}");
    e.error = EPERM;
    EXPECT_NE(kcall::cli::event_line(e, true).find("\"errno\":1}"), std::string::npos);
    EXPECT_EQ(kcall::cli::event_line(e, false).rfind("ioctl retparam pid 42", 0), 0U);
}

// In text, a comm is quoted and escaped as the kernel log does: a process
// cannot end the quotes, start a line or send the terminal an escape.
TEST(CliEvents, TextEscapesTheComm)
{
    const kcall::Event e =
        retparam_event(kcall::Transport::netlink, std::string("\x1b[2J\"x\\\nroot\xff", 13));
    EXPECT_EQ(kcall::cli::event_line(e, false),
              "netlink retparam pid 42 comm \"\\x1b[2J\\x22x\\x5c\\x0aroot\\xff\" arg 7 -> 7");
}

// ENOBUFS (events lost) is a warning: monitoring goes on, as ip monitor's.
TEST(CliEvents, MonitorSurvivesLostEvents)
{
    std::vector<kcall::Result<kcall::Event>> script;
    kcall::Event e;
    e.op = KCALL_CMD_GOODBYE;
    e.transport = kcall::Transport::netlink;
    script.emplace_back(e);
    script.emplace_back(
        Error{ENOBUFS, "events lost: the reader fell behind or kcall dropped them"});
    script.emplace_back(e);
    script.emplace_back(Error{ETIMEDOUT, {}});
    size_t i = 0;
    int seen_timeout = -2;
    auto factory = [&]() -> kcall::Result<kcall::cli::EventSource> {
        return kcall::cli::EventSource([&](int timeout_ms) {
            seen_timeout = timeout_ms;
            return script.at(i++);
        });
    };
    const char *argv[] = {"kcall", "monitor", "--timeout", "0.5"};
    std::ostringstream out, err;
    const int status = kcall::cli::run(
        4, argv, out, err, [](kcall::Transport) { return kcall::Result<kcall::Client>(Error{}); },
        factory);
    EXPECT_EQ(status, 0);
    EXPECT_EQ(i, 4U);
    EXPECT_EQ(seen_timeout, 500);
    const std::string lines = out.str();
    EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 2) << lines;
    EXPECT_EQ(err.str(),
              "kcall: monitor: warning: No buffer space available: events lost: the reader fell "
              "behind or kcall dropped them; continuing\n");
}

TEST(CliEvents, MonitorStopsAfterCount)
{
    kcall::Event e;
    int calls = 0;
    auto factory = [&]() -> kcall::Result<kcall::cli::EventSource> {
        return kcall::cli::EventSource([&](int timeout_ms) -> kcall::Result<kcall::Event> {
            calls++;
            EXPECT_EQ(timeout_ms, -1);
            return e;
        });
    };
    const char *argv[] = {"kcall", "monitor", "-c", "3", "--json"};
    std::ostringstream out, err;
    EXPECT_EQ(kcall::cli::run(
                  5, argv, out, err,
                  [](kcall::Transport) { return kcall::Result<kcall::Client>(Error{}); }, factory),
              0);
    EXPECT_EQ(calls, 3);
}

TEST_F(Cli, HelpListsEveryOperation)
{
    const CliRun r = run({"--help"});
    EXPECT_EQ(r.status, 0);
    for (const char *op :
         {"goodbye", "showparams", "retparam", "retpid", "taskcount", "message", "stats",
          "stats-reset", "version", "monitor", "--json", "--transport", "--version"})
        EXPECT_NE(r.out.find(op), std::string::npos) << op;
}

TEST_F(Cli, VersionNamesClientAndModule)
{
    const CliRun r = run({"--version"});
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("(client), module "), std::string::npos) << r.out;
}

TEST_F(Cli, StatsAsTableAndJson)
{
    setup_ = [](MockBackend &m) {
        EXPECT_CALL(m, stats())
            .WillOnce(Return(std::vector<kcall::OpStats>{{1, 3, 0}, {3, 5, 2}, {12, 1, 1}}));
    };
    CliRun r = run({"stats"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out,
              "op                          calls             failures\n"
              "goodbye                         3                    0\n"
              "retparam                        5                    2\n"
              "op12                            1                    1\n");
    r = run({"--json", "stats"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(
        r.out,
        R"({"op":"stats","transport":"ioctl","result":[{"op":"goodbye","calls":3,"failures":0},)"
        R"({"op":"retparam","calls":5,"failures":2},{"op":"op12","calls":1,"failures":1}]})"
        "\n");
}

// Bits that name no operation: batches (KCALL_CMD_BATCH) and io_uring (63).
TEST_F(Cli, VersionNamesTheBatchAndIoUringBits)
{
    setup_ = [](MockBackend &m) {
        ON_CALL(m, version())
            .WillByDefault(Return(kcall::ModuleVersion{3, KCALL_FEATURE(KCALL_CMD_RETPARAM) |
                                                              KCALL_FEATURE(KCALL_CMD_BATCH) |
                                                              KCALL_FEATURE_URING_CMD}));
    };
    CliRun r = run({"version"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "abi 3\nfeatures retparam batch io_uring\n");
}

TEST_F(Cli, VersionSubcommand)
{
    CliRun r = run({"version"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out,
              "abi 2\nfeatures goodbye showparams retparam retpid taskcount message stats "
              "stats-reset version\n");
    r = run({"version", "--json"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out.rfind(R"({"op":"version","transport":"ioctl","result":{"abi_version":2,)"
                          R"("features_mask":"0x3fe","features":["goodbye",)",
                          0),
              0U)
        << r.out;
}

TEST_F(Cli, MessageOnAnOldModuleSaysSo)
{
    setup_ = [](MockBackend &m) {
        EXPECT_CALL(m, version()).WillOnce(Return(Error{ENOTTY, {}}));
        EXPECT_CALL(m, message(testing::_)).Times(0);
    };
    const CliRun r = run({"message", "hello"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, "kcall: message: Operation not supported: module too old for message\n");
}

TEST_F(Cli, MessagePassesTheTextAndResetSaysDone)
{
    setup_ = [](MockBackend &m) {
        EXPECT_CALL(m, message(std::string_view("two words")))
            .WillOnce(Return(kcall::Result<void>()));
    };
    CliRun r = run({"message", "two words"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "message: done (see the kernel log)\n");
    setup_ = nullptr;
    expect(Op::stats_reset, 0, int64_t{0});
    r = run({"stats-reset"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "stats-reset: done\n");
}

}  // namespace
}  // namespace kcall_test
