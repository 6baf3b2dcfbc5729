// SPDX-License-Identifier: GPL-2.0-only
// The C API's default connection is per thread, and the ioctl short path
// gives way to a module of ABI 2: against the fake kernel of
// tests/lib/fake_kernel.c (linked into this binary alone: it answers
// open("/dev/kcall") and its ioctls in the process).
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <thread>

#include "fake_kernel.h"
#include "kcall/kcall.h"
#include "kcall/kcall.hpp"

namespace kcall_test {
namespace {

class DefaultConnection : public testing::Test {
protected:
    void SetUp() override
    {
        setenv("KCALL_TRANSPORT", "ioctl", 1);
        kcall_release_default();
        ASSERT_EQ(fake_kernel_devices_open(), 0U);
    }
    void TearDown() override
    {
        kcall_release_default();
        fake_kernel_set_abi2(0);
    }
};

// Runs fn on a new thread and waits for it to end.
void on_thread(const std::function<void()> &fn)
{
    std::thread(fn).join();
}

TEST_F(DefaultConnection, EachThreadOpensItsOwnAndClosesItWhenItExits)
{
    EXPECT_EQ(kcall_retparam(7), 7);
    EXPECT_EQ(fake_kernel_devices_open(), 1U);
    EXPECT_EQ(kcall_retparam(8), 8);  // the same connection again
    EXPECT_EQ(fake_kernel_devices_open(), 1U);
    unsigned long inside = 0;
    on_thread([&inside] {
        EXPECT_EQ(kcall_retparam(5), 5);
        inside = fake_kernel_devices_open();
    });
    EXPECT_EQ(inside, 2U);                      // its own, beside ours
    EXPECT_EQ(fake_kernel_devices_open(), 1U);  // closed when it ended
    EXPECT_EQ(kcall_retparam(9), 9);
}

TEST_F(DefaultConnection, ReleaseClosesEveryThreadsAndTheNextCallOpensAgain)
{
    EXPECT_EQ(kcall_retparam(1), 1);
    const unsigned long opens = fake_kernel_device_opens();
    kcall_release_default();
    EXPECT_EQ(fake_kernel_devices_open(), 0U);
    EXPECT_EQ(kcall_retparam(2), 2);
    EXPECT_EQ(fake_kernel_device_opens(), opens + 1);
    EXPECT_EQ(fake_kernel_devices_open(), 1U);
}

TEST_F(DefaultConnection, TheProcesssFirstConnectionDecidesTheTransport)
{
    EXPECT_EQ(kcall_retparam(3), 3);  // ioctl, as KCALL_TRANSPORT says now
    setenv("KCALL_TRANSPORT", "netlink", 1);
    const unsigned long opens = fake_kernel_device_opens();
    on_thread([] { EXPECT_EQ(kcall_retparam(4), 4); });
    EXPECT_EQ(fake_kernel_device_opens(), opens + 1);  // ioctl again
}

TEST_F(DefaultConnection, AModuleOfAbi2TurnsTheShortPathOff)
{
    fake_kernel_set_abi2(1);
    auto c = kcall::Client::open(kcall::Transport::ioctl);
    ASSERT_TRUE(c) << c.error().what();
    unsigned long before = fake_kernel_requests();
    auto r = c->retparam(7);
    ASSERT_TRUE(r) << r.error().what();
    EXPECT_EQ(*r, 7);
    EXPECT_EQ(fake_kernel_requests() - before, 2U);  // this ABI's number, then ABI 2's
    for (int i = 0; i < 3; i++) {
        before = fake_kernel_requests();
        r = c->retparam(i);
        ASSERT_TRUE(r) << r.error().what();
        EXPECT_EQ(*r, i);
        EXPECT_EQ(fake_kernel_requests() - before, 1U);  // ABI 2's number at once
    }
    // Another operation on the same connection: straight to ABI 2's number
    // too (the fake knows only retparam, so ENOTTY, after one request).
    before = fake_kernel_requests();
    auto p = c->retpid(KCALL_SELF);
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().code, ENOTTY);
    EXPECT_EQ(fake_kernel_requests() - before, 1U);
}

TEST_F(DefaultConnection, TheCApiFollowsAModuleOfAbi2Too)
{
    fake_kernel_set_abi2(1);
    EXPECT_EQ(kcall_retparam(11), 11);
    const unsigned long before = fake_kernel_requests();
    EXPECT_EQ(kcall_retparam(12), 12);
    EXPECT_EQ(fake_kernel_requests() - before, 1U);
}

}  // namespace
}  // namespace kcall_test
