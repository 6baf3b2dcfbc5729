// SPDX-License-Identifier: GPL-2.0-only
// kcall::Client over a fake transport: each operation maps to the right
// backend call and its result or error comes back typed and intact.
#include <gtest/gtest.h>

#include <cerrno>

#include "mock_backend.hpp"

namespace kcall_test {
namespace {

using kcall::Error;
using kcall::Op;
using testing::Return;

TEST(CppApi, OperationsCallTheBackendWithTheirArgument)
{
    MockBackend *m = nullptr;
    kcall::Client c = mock_client(&m);
    EXPECT_CALL(*m, call(Op::goodbye, 0)).WillOnce(Return(int64_t{0}));
    EXPECT_CALL(*m, call(Op::showparams, -3)).WillOnce(Return(int64_t{0}));
    EXPECT_CALL(*m, call(Op::retparam, 7)).WillOnce(Return(int64_t{7}));
    EXPECT_CALL(*m, call(Op::retpid, 1)).WillOnce(Return(int64_t{42}));
    EXPECT_CALL(*m, call(Op::taskcount, 0)).WillOnce(Return(int64_t{1} << 40));

    EXPECT_TRUE(c.goodbye());
    EXPECT_TRUE(c.showparams(-3));
    auto r = c.retparam(7);
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, 7);
    auto p = c.retpid(1);
    ASSERT_TRUE(p);
    EXPECT_EQ(*p, 42);
    auto t = c.taskcount();
    ASSERT_TRUE(t);
    EXPECT_EQ(*t, uint64_t{1} << 40) << "taskcount is 64-bit end to end";
}

TEST(CppApi, ErrorsCarryErrnoAndTheKernelsMessage)
{
    MockBackend *m = nullptr;
    kcall::Client c = mock_client(&m, kcall::Transport::netlink);
    EXPECT_CALL(*m, call(Op::retparam, 1025)).WillOnce(Return(Error{EINVAL, "value above 1024"}));
    auto r = c.retparam(1025);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, EINVAL);
    EXPECT_EQ(r.error().message, "value above 1024");
    EXPECT_EQ(r.error().what(), "Invalid argument: value above 1024");
    EXPECT_EQ(c.transport(), kcall::Transport::netlink);
}

TEST(CppApi, ErrorWithoutMessageIsJustStrerror)
{
    EXPECT_EQ((Error{ENOENT, ""}).what(), "No such file or directory");
}

TEST(CppApi, BackendExceptionsDoNotEscape)
{
    MockBackend *m = nullptr;
    kcall::Client c = mock_client(&m);
    EXPECT_CALL(*m, call(Op::taskcount, 0)).WillOnce(testing::Throw(std::bad_alloc()));
    auto t = c.taskcount();
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().code, ENOMEM);
}

}  // namespace
}  // namespace kcall_test
