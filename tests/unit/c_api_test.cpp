// SPDX-License-Identifier: GPL-2.0-only
// The C API behaves like a syscall wrapper: result or -1 with errno, and
// the kernel's message for the calling thread's last failure.
#include <gtest/gtest.h>

#include <cerrno>
#include <string>
#include <thread>

#include "c_api_internal.hpp"
#include "kcall/kcall.h"
#include "mock_backend.hpp"

namespace kcall_test {
namespace {

using kcall::Error;
using kcall::Op;
using testing::Return;

class CApi : public testing::Test {
protected:
    void SetUp() override { kcall::internal::set_default_backend(mock_backend(&mock_)); }
    void TearDown() override { kcall::internal::set_default_backend(nullptr); }

    MockBackend *mock_ = nullptr;
};

TEST_F(CApi, ReturnsResults)
{
    EXPECT_CALL(*mock_, call(Op::retparam, 1024)).WillOnce(Return(int64_t{1024}));
    EXPECT_CALL(*mock_, call(Op::retpid, KCALL_SELF)).WillOnce(Return(int64_t{99}));
    EXPECT_CALL(*mock_, call(Op::taskcount, 0)).WillOnce(Return(int64_t{5000000000}));
    EXPECT_CALL(*mock_, call(Op::goodbye, 0)).WillOnce(Return(int64_t{0}));
    EXPECT_EQ(kcall_retparam(1024), 1024);
    EXPECT_EQ(kcall_retpid(KCALL_SELF), 99);
    EXPECT_EQ(kcall_taskcount(), int64_t{5000000000});
    EXPECT_EQ(kcall_goodbye(), 0);
    EXPECT_STREQ(kcall_strerror_ext(), "");
}

TEST_F(CApi, FailureIsMinusOneWithErrnoAndMessage)
{
    EXPECT_CALL(*mock_, call(Op::retparam, -1)).WillOnce(Return(Error{EINVAL, "value above 1024"}));
    errno = 0;
    EXPECT_EQ(kcall_retparam(-1), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_STREQ(kcall_strerror_ext(), "value above 1024");

    // The message belongs to the thread that failed.
    std::string other = "unset";
    std::thread([&other] { other = kcall_strerror_ext(); }).join();
    EXPECT_EQ(other, "");

    // A success clears it.
    EXPECT_CALL(*mock_, call(Op::showparams, 3)).WillOnce(Return(int64_t{0}));
    EXPECT_EQ(kcall_showparams(3), 0);
    EXPECT_STREQ(kcall_strerror_ext(), "");
}

TEST_F(CApi, HandlesUseTheirOwnConnection)
{
    MockBackend *hm = nullptr;
    kcall_handle *h = kcall::internal::wrap(mock_client(&hm, kcall::Transport::netlink));
    ASSERT_NE(h, nullptr);
    EXPECT_EQ(kcall_handle_transport(h), KCALL_TRANSPORT_NETLINK);
    EXPECT_CALL(*hm, call(Op::retpid, 2))
        .WillOnce(Return(Error{EINVAL, "unknown retpid selector"}));
    EXPECT_CALL(*mock_, call(testing::_, testing::_)).Times(0);
    EXPECT_EQ(kcall_h_retpid(h, 2), -1);
    EXPECT_EQ(errno, EINVAL);
    kcall_close(h);
}

TEST(CApiHandle, NullHandleIsEinval)
{
    errno = 0;
    EXPECT_EQ(kcall_h_retparam(nullptr, 1), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_STREQ(kcall_strerror_ext(), "NULL kcall handle");
    errno = 0;
    EXPECT_EQ(kcall_handle_transport(nullptr), KCALL_TRANSPORT_DEFAULT);
    EXPECT_EQ(errno, EINVAL);
}

TEST(CApiHandle, AnUnknownTransportIsEinval)
{
    for (const int t : {-1, 3, 1000}) {
        errno = 0;
        EXPECT_EQ(kcall_open(static_cast<enum kcall_transport>(t)), nullptr) << t;
        EXPECT_EQ(errno, EINVAL) << t;
        EXPECT_STREQ(kcall_strerror_ext(), "no such transport") << t;
    }
}

}  // namespace
}  // namespace kcall_test
