// SPDX-License-Identifier: GPL-2.0-only
// "kcall batch": its input lines, and the run against a mock transport.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include <kcall.h>  // the uapi

#include "batch.hpp"
#include "cli.hpp"
#include "mock_backend.hpp"

namespace kcall_test {
namespace {

using kcall::BatchOutcome;
using kcall::Op;
using testing::_;
using testing::Return;

TEST(CliBatchInput, ReadsOneOperationPerLine)
{
    std::istringstream in(
        "# a comment\n\nretparam 7\n  retpid self # the caller\n"
        "taskcount\ngoodbye\nshowparams -3\nstats-reset\nretpid 1\n");
    auto lines = kcall::cli::parse_batch(in);
    ASSERT_TRUE(lines) << lines.error().what();
    ASSERT_EQ(lines->size(), 7U);
    EXPECT_EQ((*lines)[0].line, 3U);
    EXPECT_EQ((*lines)[0].op, Op::retparam);
    EXPECT_EQ((*lines)[0].arg, 7);
    EXPECT_EQ((*lines)[1].arg, KCALL_RETPID_SELF);
    EXPECT_EQ((*lines)[4].arg, -3);
    EXPECT_EQ((*lines)[6].arg, 1);
}

TEST(CliBatchInput, AnErrorNamesItsLine)
{
    for (const auto &[text, why] : std::vector<std::pair<std::string, std::string>>{
             {"retparam 1\nmessage hi\n", "line 2: 'message' cannot be in a batch"},
             {"retparam\n", "line 1: retparam takes one argument"},
             {"goodbye now\n", "line 1: goodbye takes no argument"},
             {"\n\nretparam 9999999999\n",
              "line 3: '9999999999' is out of range (-2147483648 to 2147483647)"},
             {"retpid someone\n", "line 1: 'someone' is not an integer"},
             {"retparam 1e3\n", "line 1: '1e3' is not an integer"},
             {"retparam 0b11\n", "line 1: '0b11' is not an integer"}}) {
        std::istringstream in(text);
        auto lines = kcall::cli::parse_batch(in);
        ASSERT_FALSE(lines) << text;
        EXPECT_EQ(lines.error().code, EINVAL);
        EXPECT_EQ(lines.error().message.rfind(why, 0), 0U) << lines.error().message;
    }
}

// The CLI's own integers, as kcall(1) says: decimal (a leading 0 too) or
// 0x hex; never octal.
TEST(CliBatchInput, IntegersAreDecimalOrHex)
{
    std::istringstream in("retparam 010\nretparam 0x10\nshowparams -0x7fffffff\nretpid 0\n");
    auto lines = kcall::cli::parse_batch(in);
    ASSERT_TRUE(lines) << lines.error().what();
    ASSERT_EQ(lines->size(), 4U);
    EXPECT_EQ((*lines)[0].arg, 10);
    EXPECT_EQ((*lines)[1].arg, 16);
    EXPECT_EQ((*lines)[2].arg, -0x7fffffff);
    EXPECT_EQ((*lines)[3].arg, 0);
}

struct Ran {
    int status;
    std::string out, err;
};

Ran run_batch(const std::string &input, const kcall::Result<std::vector<BatchOutcome>> &outcomes,
              std::vector<std::string> args = {})
{
    args.insert(args.begin(), {"kcall", "batch"});
    std::vector<const char *> argv;
    argv.reserve(args.size());
    for (const auto &a : args)
        argv.push_back(a.c_str());
    std::istringstream in(input);
    std::ostringstream out, err;
    const int status = kcall::cli::run(
        static_cast<int>(argv.size()), argv.data(), out, err,
        [&](kcall::Transport) -> kcall::Result<kcall::Client> {
            auto m = std::make_unique<testing::NiceMock<MockBackend>>();
            ON_CALL(*m, transport()).WillByDefault(Return(kcall::Transport::ioctl));
            ON_CALL(*m, version())
                .WillByDefault(
                    Return(kcall::ModuleVersion{3, kAllFeatures | KCALL_FEATURE(KCALL_CMD_BATCH)}));
            EXPECT_CALL(*m, batch(_, _)).WillOnce(Return(outcomes));
            return kcall::Client(std::move(m));
        },
        kcall::cli::monitor_events(), &in);
    return {status, out.str(), err.str()};
}

TEST(CliBatch, PrintsEachOutcomeAndNamesTheFailedLine)
{
    auto r = run_batch("retparam 7\n# comment\nretparam 2000\nretparam 3\n",
                       std::vector<BatchOutcome>{{Op::retparam, 0, 7}, {Op::retparam, EINVAL, 0}});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, "retparam: 7\n");
    EXPECT_NE(r.err.find("kcall: line 3: retparam: Invalid argument"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("stopped after line 3 (1 not run"), std::string::npos) << r.err;
}

TEST(CliBatch, JsonHasOneObjectPerOperation)
{
    auto r =
        run_batch("retparam 7\ngoodbye\n",
                  std::vector<BatchOutcome>{{Op::retparam, 0, 7}, {Op::goodbye, 0, 0}}, {"--json"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out,
              "{\"line\":1,\"op\":\"retparam\",\"transport\":\"ioctl\",\"arg\":7,\"result\":7}\n"
              "{\"line\":2,\"op\":\"goodbye\",\"transport\":\"ioctl\"}\n");
}

// --json: a failed record is an object on stdout and, as kcall(1) says for
// every failed operation, a line on stderr.
TEST(CliBatch, JsonReportsAFailedRecordOnStderrToo)
{
    auto r = run_batch("retparam 7\nretparam 2000\n",
                       std::vector<BatchOutcome>{{Op::retparam, 0, 7}, {Op::retparam, EINVAL, 0}},
                       {"--json"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out,
              "{\"line\":1,\"op\":\"retparam\",\"transport\":\"ioctl\",\"arg\":7,\"result\":7}\n"
              "{\"line\":2,\"op\":\"retparam\",\"transport\":\"ioctl\",\"arg\":2000,"
              "\"error\":{\"errno\":22,\"message\":\"Invalid argument\"}}\n");
    EXPECT_NE(r.err.find("kcall: line 2: retparam: Invalid argument"), std::string::npos) << r.err;
}

// A batch that fails as a whole is one JSON object too, as any failed call.
TEST(CliBatch, JsonOfAFailedBatchIsAnObject)
{
    auto r = run_batch("retparam 7\n", kcall::Error{ETIMEDOUT, "no answer from the module in time"},
                       {"--json"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out,
              "{\"op\":\"batch\",\"transport\":\"ioctl\",\"error\":{\"errno\":110,"
              "\"message\":\"Connection timed out\",\"kernel\":\"no answer from the module in "
              "time\"}}\n");
    EXPECT_NE(r.err.find("kcall: batch: Connection timed out"), std::string::npos) << r.err;
}

// A reply that carries no record: nothing ran, and nothing is read past the
// outcomes there are.
TEST(CliBatch, AReplyWithoutRecordsRanNothing)
{
    auto r = run_batch("retparam 7\ntaskcount\n", std::vector<BatchOutcome>{});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("kcall: batch: no operation ran (2 not run)"), std::string::npos) << r.err;
}

TEST(CliBatch, ABadLineRunsNothing)
{
    std::istringstream in("retparam 1\nbogus\n");
    std::ostringstream out, err;
    const char *argv[] = {"kcall", "batch"};
    bool opened = false;
    const int status = kcall::cli::run(
        2, argv, out, err,
        [&](kcall::Transport) -> kcall::Result<kcall::Client> {
            opened = true;
            return kcall::Error{ENOENT, {}};
        },
        kcall::cli::monitor_events(), &in);
    EXPECT_EQ(status, 2);
    EXPECT_FALSE(opened);
    EXPECT_NE(err.str().find("line 2: 'bogus' cannot be in a batch"), std::string::npos)
        << err.str();
}

}  // namespace
}  // namespace kcall_test
