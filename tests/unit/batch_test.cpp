// SPDX-License-Identifier: GPL-2.0-only
// Batches in the library: pieces of KCALL_BATCH_MAX records, a later piece
// that fails as a whole, and operation numbers the library cannot name.
#include <gtest/gtest.h>

#include <cerrno>
#include <vector>

#include <kcall.h>  // the uapi

#include "c_api_internal.hpp"
#include "kcall/kcall.h"
#include "mock_backend.hpp"

namespace kcall_test {
namespace {

using kcall::BatchOp;
using kcall::BatchOutcome;
using kcall::Op;
using testing::_;
using testing::Invoke;
using testing::Return;

constexpr uint64_t kBatchFeatures = kAllFeatures | KCALL_FEATURE(KCALL_CMD_BATCH);

// Every record of a piece succeeds with its argument as its result.
std::vector<BatchOutcome> echo(const std::vector<BatchOp> &ops)
{
    std::vector<BatchOutcome> out;
    out.reserve(ops.size());
    for (const auto &op : ops)
        out.push_back({op.op, 0, op.arg});
    return out;
}

std::unique_ptr<MockBackend> batch_backend(MockBackend **mock)
{
    auto m = mock_backend(mock);
    ON_CALL(**mock, version()).WillByDefault(Return(kcall::ModuleVersion{3, kBatchFeatures}));
    return m;
}

// The first piece ran (a stats_reset among its records): its outcomes are
// reported, and the failed piece's first record carries the errno.
TEST(Batch, ALaterPieceThatFailsKeepsWhatRan)
{
    MockBackend *mock = nullptr;
    kcall::Client c(batch_backend(&mock));
    kcall::Batch b;
    b.stats_reset();
    for (int i = 1; i < KCALL_BATCH_MAX + 10; i++)
        b.retparam(i % 1000);
    EXPECT_CALL(*mock, batch(_, false))
        .WillOnce(Invoke([](const std::vector<BatchOp> &ops, bool) { return echo(ops); }))
        .WillOnce(Return(kcall::Error{ETIMEDOUT, "no answer from the module in time"}));
    auto r = c.run(b);
    ASSERT_TRUE(r) << r.error().what();
    ASSERT_EQ(r->size(), KCALL_BATCH_MAX + 1U);
    EXPECT_EQ((*r)[0].op, Op::stats_reset);
    EXPECT_EQ((*r)[0].error, 0);
    EXPECT_EQ((*r)[KCALL_BATCH_MAX - 1].result, (KCALL_BATCH_MAX - 1) % 1000);
    EXPECT_EQ((*r)[KCALL_BATCH_MAX].op, Op::retparam);
    EXPECT_EQ((*r)[KCALL_BATCH_MAX].error, ETIMEDOUT);
}

TEST(Batch, AFirstPieceThatFailsIsTheBatchsError)
{
    MockBackend *mock = nullptr;
    kcall::Client c(batch_backend(&mock));
    kcall::Batch b;
    for (int i = 0; i < KCALL_BATCH_MAX + 1; i++)
        b.retparam(1);
    EXPECT_CALL(*mock, batch(_, _)).WillOnce(Return(kcall::Error{ENOBUFS, {}}));
    auto r = c.run(b);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ENOBUFS);
}

class CBatch : public testing::Test {
protected:
    void SetUp() override { kcall::internal::set_default_backend(batch_backend(&mock_)); }
    void TearDown() override { kcall::internal::set_default_backend(nullptr); }

    MockBackend *mock_ = nullptr;
};

// The module's rule for a number it does not know, for numbers this library
// cannot name (0, the event's 10, 12 and up): the record fails with
// EOPNOTSUPP without running; the batch stops there unless keep-going.
TEST_F(CBatch, AnUnknownOperationFailsItsRecord)
{
    for (const uint32_t unknown : {0U, uint32_t{KCALL_CMD_EVENT}, 12U, 0xffffffffU}) {
        struct kcall_batch_call calls[] = {
            {KCALL_CMD_RETPARAM, 1, -1, -1}, {unknown, 2, -1, -1}, {KCALL_CMD_RETPARAM, 3, -1, -1}};
        EXPECT_CALL(*mock_, batch(_, false))
            .WillOnce(Invoke([](const std::vector<BatchOp> &ops, bool) {
                EXPECT_EQ(ops.size(), 1U);
                return echo(ops);
            }));
        EXPECT_EQ(kcall_batch(calls, 3, 0), 2) << unknown;
        EXPECT_EQ(calls[0].error, 0);
        EXPECT_EQ(calls[0].result, 1);
        EXPECT_EQ(calls[1].error, EOPNOTSUPP);
        EXPECT_EQ(calls[2].error, -1);  // not run: untouched
        testing::Mock::VerifyAndClearExpectations(mock_);

        EXPECT_CALL(*mock_, batch(_, true))
            .Times(2)
            .WillRepeatedly(
                Invoke([](const std::vector<BatchOp> &ops, bool) { return echo(ops); }));
        EXPECT_EQ(kcall_batch(calls, 3, KCALL_BATCH_KEEP_GOING), 3) << unknown;
        EXPECT_EQ(calls[1].error, EOPNOTSUPP);
        EXPECT_EQ(calls[2].error, 0);
        EXPECT_EQ(calls[2].result, 3);
        testing::Mock::VerifyAndClearExpectations(mock_);
    }
}

TEST_F(CBatch, ARecordThatFailsStopsTheBatchBeforeAnUnknownOne)
{
    struct kcall_batch_call calls[] = {{KCALL_CMD_RETPARAM, 2000, -1, -1}, {12, 0, -1, -1}};
    EXPECT_CALL(*mock_, batch(_, false))
        .WillOnce(Return(std::vector<BatchOutcome>{{Op::retparam, EINVAL, 0}}));
    EXPECT_EQ(kcall_batch(calls, 2, 0), 1);
    EXPECT_EQ(calls[0].error, EINVAL);
    EXPECT_EQ(calls[1].error, -1);
}

// The batch's own failure (a module without batches) is the call's, also
// when a record of an unknown number comes before its first kernel entry
// (with keep-going: without, the batch stops at that record).
TEST(CBatchOnAnOldModule, AnUnknownFirstRecordLeavesTheBatchsErrorTheCallsOwn)
{
    MockBackend *mock = nullptr;
    kcall::internal::set_default_backend(mock_backend(&mock));
    EXPECT_CALL(*mock, batch(_, _)).Times(0);
    struct kcall_batch_call calls[] = {{12, 0, -1, -1}, {KCALL_CMD_RETPARAM, 1, -1, -1}};
    errno = 0;
    EXPECT_EQ(kcall_batch(calls, 2, KCALL_BATCH_KEEP_GOING), -1);
    EXPECT_EQ(errno, EOPNOTSUPP);
    EXPECT_STREQ(kcall_strerror_ext(), "module too old for batch");
    EXPECT_EQ(calls[1].error, -1);  // not run: untouched

    struct kcall_batch_call stop[] = {{12, 0, -1, -1}, {KCALL_CMD_RETPARAM, 1, -1, -1}};
    EXPECT_EQ(kcall_batch(stop, 2, 0), 1);
    EXPECT_EQ(stop[0].error, EOPNOTSUPP);
    EXPECT_EQ(stop[1].error, -1);
    kcall::internal::set_default_backend(nullptr);
}

}  // namespace
}  // namespace kcall_test
