// SPDX-License-Identifier: GPL-2.0-only
// libkcall across a module reload: a long-lived netlink client finds the
// family's new id by itself; the default connection over ioctl keeps the
// module loaded until kcall_release_default() closes it. In the unload
// binary (it reloads the module under test, from $KCALL_KO).
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include <kcall/kcall.h>
#include <kcall/kcall.hpp>

#include <kcall.h>  // the uapi

#include "genl_client.h"
#include "module_ctl.h"

namespace kcall_test {
namespace {

using namespace std::chrono_literals;

// This process's open descriptors of /dev/kcall.
int open_devices()
{
    int n = 0;
    const std::filesystem::path fds = "/proc/self/fd";
    for (const auto &e : std::filesystem::directory_iterator(fds)) {
        std::error_code ec;
        if (std::filesystem::read_symlink(e.path(), ec) == "/dev/" KCALL_DEVICE_NAME)
            n++;
    }
    return n;
}

class LibraryReload : public testing::Test {
protected:
    void SetUp() override
    {
        const char *ko = std::getenv("KCALL_KO");
        ASSERT_NE(ko, nullptr) << "KCALL_KO must name the module under test";
        ko_ = ko;
        ASSERT_TRUE(module_loaded());
    }
    void TearDown() override
    {
        kcall_release_default();
        unsetenv("KCALL_TRANSPORT");
        if (!module_loaded())
            load();
        EXPECT_TRUE(module_loaded());
    }

    void reload()
    {
        long busy = 0;
        ASSERT_EQ(delete_module_retrying(5s, &busy), 0);
        load();
    }
    void load() { ASSERT_EQ(load_and_wait(ko_), 0); }

    std::string ko_;
};

TEST_F(LibraryReload, NetlinkClientFindsTheFamilyAgain)
{
    auto client = kcall::Client::open(kcall::Transport::netlink);
    ASSERT_TRUE(client) << client.error().what();
    auto before = client->retparam(3);
    ASSERT_TRUE(before) << before.error().what();
    const int old_id = GenlClient().family();

    ASSERT_NO_FATAL_FAILURE(reload());
    // Generic netlink ids are allocated cyclically: a reload gets a new one,
    // which is what makes a cached id stale.
    ASSERT_NE(GenlClient().family(), old_id);

    auto after = client->retparam(4);
    ASSERT_TRUE(after) << after.error().what();
    EXPECT_EQ(*after, 4);
    // And the C API's default connection over netlink alike.
    setenv("KCALL_TRANSPORT", "netlink", 1);
    kcall_release_default();
    ASSERT_EQ(kcall_retparam(5), 5);
    ASSERT_NO_FATAL_FAILURE(reload());
    EXPECT_EQ(kcall_retparam(6), 6) << kcall_strerror_ext();
}

TEST_F(LibraryReload, DefaultIoctlConnectionPinsTheModuleUntilReleased)
{
    setenv("KCALL_TRANSPORT", "ioctl", 1);
    kcall_release_default();
    ASSERT_EQ(kcall_retparam(5), 5) << kcall_strerror_ext();
    // The open /dev/kcall holds the module.
    const int err = delete_module_nonblock();
    EXPECT_TRUE(unload_refused_while_busy(err)) << "rmmod: " << err;
    ASSERT_TRUE(module_loaded());

    kcall_release_default();
    long busy = 0;
    ASSERT_EQ(delete_module_retrying(5s, &busy), 0);
    ASSERT_NO_FATAL_FAILURE(load());
    // The next call opens a new connection.
    EXPECT_EQ(kcall_retparam(7), 7) << kcall_strerror_ext();
}

// Each thread's default connection is its own open /dev/kcall, and a
// thread that ends closes it: its reference on the module goes with it.
TEST_F(LibraryReload, EachThreadsDefaultConnectionIsItsOwnAndEndsWithIt)
{
    setenv("KCALL_TRANSPORT", "ioctl", 1);
    kcall_release_default();
    ASSERT_EQ(open_devices(), 0);
    ASSERT_EQ(kcall_retparam(5), 5) << kcall_strerror_ext();
    ASSERT_EQ(open_devices(), 1);
    int inside = -1;
    std::thread([&inside] {
        EXPECT_EQ(kcall_retparam(6), 6) << kcall_strerror_ext();
        inside = open_devices();
    }).join();
    EXPECT_EQ(inside, 2);
    EXPECT_EQ(open_devices(), 1);

    // With the main thread's released, nothing holds the module.
    kcall_release_default();
    EXPECT_EQ(open_devices(), 0);
    long busy = 0;
    ASSERT_EQ(delete_module_retrying(5s, &busy), 0);
    ASSERT_NO_FATAL_FAILURE(load());
}

}  // namespace
}  // namespace kcall_test
