// SPDX-License-Identifier: GPL-2.0-only
// The library's handling of ABI 2: it asks the module once what it has and
// refuses what an older module lacks with "module too old for <op>";
// message, stats and version results reach the C++ and C APIs intact.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <kcall.h>  // the uapi

#include "c_api_internal.hpp"
#include "kcall/kcall.h"
#include "mock_backend.hpp"

namespace kcall_test {
namespace {

using kcall::Error;
using kcall::Op;
using testing::_;
using testing::Return;

constexpr uint64_t kAbi1Features = 0x3eULL;  // goodbye .. taskcount

TEST(Features, OldModuleWithoutVersionOpIsTooOldForMessage)
{
    for (int code : {ENOTTY, EOPNOTSUPP}) {
        MockBackend *m = nullptr;
        kcall::Client c = mock_client(&m);
        EXPECT_CALL(*m, version()).WillOnce(Return(Error{code, {}}));
        EXPECT_CALL(*m, message(_)).Times(0);
        auto r = c.message("hi");
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, EOPNOTSUPP);
        EXPECT_EQ(r.error().message, "module too old for message");
    }
}

TEST(Features, ModuleReportingFewerFeaturesIsTooOldForThoseOps)
{
    MockBackend *m = nullptr;
    kcall::Client c = mock_client(&m);
    // Asked once per client, however many calls follow.
    EXPECT_CALL(*m, version())
        .WillOnce(Return(kcall::ModuleVersion{2, kAbi1Features | (1ULL << 6)}));
    EXPECT_CALL(*m, message(std::string_view("a"))).WillOnce(Return(kcall::Result<void>()));
    EXPECT_TRUE(c.message("a"));
    auto s = c.stats();
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().what(), "Operation not supported: module too old for stats");
    auto r = c.stats_reset();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "module too old for stats-reset");
}

TEST(Features, VersionFromAnAbi1ModuleSaysTooOld)
{
    MockBackend *m = nullptr;
    kcall::Client c = mock_client(&m);
    EXPECT_CALL(*m, version()).WillOnce(Return(Error{ENOTTY, {}}));
    auto v = c.version();
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().code, EOPNOTSUPP);
    EXPECT_EQ(v.error().message, "module too old for version");
}

TEST(Features, OtherVersionErrorsPassThrough)
{
    MockBackend *m = nullptr;
    kcall::Client c = mock_client(&m);
    EXPECT_CALL(*m, version()).WillOnce(Return(Error{EACCES, "no"}));
    auto r = c.message("x");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, EACCES);
}

TEST(Features, TextWithNulIsRefusedBeforeTheKernel)
{
    MockBackend *m = nullptr;
    kcall::Client c = mock_client(&m);
    EXPECT_CALL(*m, message(_)).Times(0);
    auto r = c.message(std::string_view("ab\0cd", 5));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, EINVAL);
    EXPECT_EQ(r.error().message, "text contains a NUL byte");
}

TEST(Features, OpNumbersMatchTheUapi)
{
    EXPECT_EQ(kcall::op_number(Op::goodbye), 1U);
    EXPECT_EQ(kcall::op_number(Op::version), 9U);
    Op op{};
    ASSERT_TRUE(kcall::op_from_number(8, &op));
    EXPECT_EQ(op, Op::stats_reset);
    EXPECT_FALSE(kcall::op_from_number(0, &op));
    EXPECT_FALSE(kcall::op_from_number(10, &op));
    EXPECT_STREQ(kcall_op_name(6), "message");
    EXPECT_EQ(kcall_op_name(42), nullptr);
}

// The op table's rows: every Op round-trips through its number, numbers
// are the uapi's commands, and the event's command is no operation.
TEST(Features, EveryOpRoundTripsAndTheEventIsNone)
{
    const std::pair<Op, uint32_t> uapi[] = {
        {Op::goodbye, KCALL_CMD_GOODBYE},     {Op::showparams, KCALL_CMD_SHOWPARAMS},
        {Op::retparam, KCALL_CMD_RETPARAM},   {Op::retpid, KCALL_CMD_RETPID},
        {Op::taskcount, KCALL_CMD_TASKCOUNT}, {Op::message, KCALL_CMD_MESSAGE},
        {Op::stats, KCALL_CMD_STATS},         {Op::stats_reset, KCALL_CMD_STATS_RESET},
        {Op::version, KCALL_CMD_VERSION},
    };
    for (const auto &[op, number] : uapi) {
        EXPECT_EQ(kcall::op_number(op), number) << kcall::to_string(op);
        Op back{};
        ASSERT_TRUE(kcall::op_from_number(number, &back)) << number;
        EXPECT_EQ(back, op);
        EXPECT_STREQ(kcall_op_name(number), kcall::to_string(op));
    }
    Op none{};
    EXPECT_FALSE(kcall::op_from_number(KCALL_CMD_EVENT, &none));
    EXPECT_EQ(kcall_op_name(KCALL_CMD_EVENT), nullptr);
}

class CApiFeatures : public testing::Test {
protected:
    void SetUp() override
    {
        auto b = std::make_unique<testing::NiceMock<MockBackend>>();
        m_ = b.get();
        ON_CALL(*m_, version()).WillByDefault(Return(kcall::ModuleVersion{2, kAllFeatures}));
        kcall::internal::set_default_backend(std::move(b));
    }
    void TearDown() override { kcall::internal::set_default_backend(nullptr); }
    MockBackend *m_ = nullptr;
};

TEST_F(CApiFeatures, StatsCopiesAtMostTheRoomGiven)
{
    EXPECT_CALL(*m_, stats())
        .WillRepeatedly(Return(std::vector<kcall::OpStats>{{1, 10, 1}, {2, 20, 2}, {3, 30, 3}}));
    struct kcall_stat s[2] = {};
    EXPECT_EQ(kcall_stats(s, 2), 3);
    EXPECT_EQ(s[1].op, 2U);
    EXPECT_EQ(s[1].calls, 20U);
    EXPECT_EQ(s[1].failures, 2U);
    EXPECT_EQ(kcall_stats(nullptr, 0), 3);
}

TEST_F(CApiFeatures, VersionAndErrorsLikeASyscall)
{
    uint32_t abi = 0;
    uint64_t features = 0;
    ASSERT_EQ(kcall_version(&abi, &features), 0);
    EXPECT_EQ(abi, 2U);
    EXPECT_EQ(features, kAllFeatures);

    EXPECT_CALL(*m_, call(Op::stats_reset, 0)).WillOnce(Return(Error{EPERM, {}}));
    errno = 0;
    EXPECT_EQ(kcall_stats_reset(), -1);
    EXPECT_EQ(errno, EPERM);

    errno = 0;
    EXPECT_EQ(kcall_message(nullptr), -1);
    EXPECT_EQ(errno, EFAULT);
}

}  // namespace
}  // namespace kcall_test
