// SPDX-License-Identifier: GPL-2.0-only
// Unloading the module: refused while /dev/kcall is open, clean while
// netlink requests are in flight. Runs as its own binary (it removes and
// reloads the module under test, from $KCALL_KO).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <kcall.h>

#include "command.h"
#include "genl_client.h"

namespace kcall_test {
namespace {

using namespace std::chrono_literals;

bool module_loaded()
{
    struct stat st {};
    return stat("/dev/" KCALL_DEVICE_NAME, &st) == 0 && S_ISCHR(st.st_mode);
}

int shell(const std::string &cmd)
{
    return run_command(cmd).status;
}

class Unload : public testing::Test {
protected:
    void SetUp() override
    {
        const char *ko = std::getenv("KCALL_KO");
        ASSERT_NE(ko, nullptr) << "KCALL_KO must name the module under test";
        ko_ = ko;
        ASSERT_TRUE(module_loaded());
    }

    // Leaves the module loaded for whatever runs next.
    void TearDown() override
    {
        if (!module_loaded()) {
            EXPECT_EQ(shell("insmod " + ko_), 0);
            for (int i = 0; i < 100 && !module_loaded(); i++)
                std::this_thread::sleep_for(10ms);
        }
        EXPECT_TRUE(module_loaded());
    }

    std::string ko_;
};

TEST_F(Unload, RefusedWhileDeviceIsOpen)
{
    const int fd = open("/dev/" KCALL_DEVICE_NAME, O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    EXPECT_NE(shell("rmmod kcall 2>/dev/null"), 0) << "rmmod must fail while the device is open";
    close(fd);
    EXPECT_EQ(shell("rmmod kcall"), 0);
    EXPECT_FALSE(module_loaded());
}

TEST_F(Unload, CleanWhileNetlinkRequestsAreInFlight)
{
    constexpr int kThreads = 4;
    std::atomic<bool> stop{false};
    std::atomic<long> ok{0}, failed{0}, wrong{0};
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; t++) {
        threads.emplace_back([&] {
            GenlClient c;
            ready++;
            if (!c.ok())
                return;
            while (!stop.load()) {
                auto r = c.request(KCALL_CMD_RETPARAM,
                                   [](nl_msg *m) { nla_put_s32(m, KCALL_A_VALUE, 5); });
                if (r.err)
                    failed++;  // family gone: expected once unloaded
                else if (attr_as<int32_t>(r.attrs[KCALL_A_RESULT]) != 5)
                    wrong++;
                else
                    ok++;
            }
        });
    }
    while (ready.load() < kThreads)
        std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(300ms);
    const long before = ok.load();
    EXPECT_EQ(shell("rmmod kcall"), 0);
    std::this_thread::sleep_for(300ms);
    stop = true;
    for (auto &th : threads)
        th.join();
    EXPECT_GT(before, 0) << "requests were flowing before the unload";
    EXPECT_GT(failed.load(), 0) << "requests after the unload fail";
    EXPECT_EQ(wrong.load(), 0);

    EXPECT_EQ(shell("insmod " + ko_), 0);
    GenlClient again;
    ASSERT_TRUE(again.ok()) << again.error();
    auto r = again.request(KCALL_CMD_RETPARAM, [](nl_msg *m) { nla_put_s32(m, KCALL_A_VALUE, 9); });
    EXPECT_EQ(r.err, 0) << r.ext_msg;
}

}  // namespace
}  // namespace kcall_test
