// SPDX-License-Identifier: GPL-2.0-only
// Unloading the module: refused while /dev/kcall is open, clean while
// netlink requests are in flight. Runs as its own binary (it removes and
// reloads the module under test, from $KCALL_KO).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <kcall.h>

#include "command.h"
#include "genl_client.h"
#include "module_ctl.h"

namespace kcall_test {
namespace {

using namespace std::chrono_literals;

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
            EXPECT_EQ(load_and_wait(ko_), 0);
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

// 4 threads per transport call every operation while the module is
// unloaded and loaded again and again. rmmod may fail (EBUSY/EAGAIN while
// /dev/kcall is open); calls may fail while the module is away; nothing may
// crash, hang, or answer wrongly.
TEST_F(Unload, ReloadLoopUnderLoadFromBothTransports)
{
    constexpr int kThreads = 4;
    constexpr int kRounds = 40;
    // While the module is away, a lookup of the family or an open of the
    // node would autoload whatever kcall modprobe finds (an installed
    // one): keep the kernel from running modprobe, so that only the
    // module under test comes and goes.
    const std::string modprobe_path = "/proc/sys/kernel/modprobe";
    const std::string saved_modprobe = run_command("cat " + modprobe_path).output;
    ASSERT_EQ(shell("echo /bin/true > " + modprobe_path), 0);
    std::atomic<bool> stop{false};
    std::atomic<long> ok{0}, failed{0}, wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; t++) {
        // ioctl: open, call every operation, close (an open fd pins the module).
        threads.emplace_back([&] {
            while (!stop.load()) {
                const int fd = open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC);
                if (fd < 0) {
                    failed++;
                    std::this_thread::sleep_for(1ms);
                    continue;
                }
                struct kcall_retparam r {};
                r.size = sizeof(r);
                r.value = 9;
                if (ioctl(fd, KCALL_IOC_RETPARAM, &r) != 0 || r.result != 9)
                    wrong++;
                struct kcall_goodbye g {};
                g.size = sizeof(g);
                struct kcall_taskcount tc {};
                tc.size = sizeof(tc);
                struct kcall_version v {};
                v.size = sizeof(v);
                struct kcall_message m {};
                m.size = sizeof(m);
                m.text = reinterpret_cast<uintptr_t>("stress");
                std::vector<struct kcall_op_stats> e(9);
                struct kcall_stats s {};
                s.size = sizeof(s);
                s.entries = reinterpret_cast<uintptr_t>(e.data());
                s.nr_entries = 9;
                if (ioctl(fd, KCALL_IOC_GOODBYE, &g) || ioctl(fd, KCALL_IOC_TASKCOUNT, &tc) ||
                    ioctl(fd, KCALL_IOC_VERSION, &v) || ioctl(fd, KCALL_IOC_MESSAGE, &m) ||
                    ioctl(fd, KCALL_IOC_STATS, &s))
                    wrong++;
                else
                    ok++;
                close(fd);
                // Leave rmmod windows with no descriptor open.
                std::this_thread::sleep_for(2ms);
            }
        });
        // netlink: a client that re-resolves the family after each failure
        // (a reload gives it a new id).
        threads.emplace_back([&] {
            auto c = std::make_unique<GenlClient>();
            while (!stop.load()) {
                if (!c->ok()) {
                    failed++;
                    std::this_thread::sleep_for(1ms);
                    c = std::make_unique<GenlClient>();
                    continue;
                }
                bool all = true;
                for (uint8_t cmd = KCALL_CMD_GOODBYE; cmd <= KCALL_CMD_VERSION; cmd++) {
                    auto r = c->request(cmd, [cmd](nl_msg *m) {
                        if (cmd == KCALL_CMD_SHOWPARAMS || cmd == KCALL_CMD_RETPARAM)
                            nla_put_s32(m, KCALL_A_VALUE, 1);
                        else if (cmd == KCALL_CMD_RETPID)
                            nla_put_s32(m, KCALL_A_WHICH, 0);
                        else if (cmd == KCALL_CMD_MESSAGE)
                            nla_put_string(m, KCALL_A_TEXT, "stress");
                    });
                    if (r.err) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    ok++;
                } else {
                    failed++;
                    c = std::make_unique<GenlClient>();
                }
            }
        });
    }
    // Each round: calls run against the loaded module for a while, then
    // rmmod is tried every millisecond for up to 200 ms (it fails with
    // EWOULDBLOCK while an fd is open), then the module comes back.
    int unloads = 0, loads = 0, busy_rounds = 0;
    long rmmod_busy = 0;
    std::vector<int> odd_errnos;
    for (int round = 0; round < kRounds; round++) {
        std::this_thread::sleep_for(20ms);
        const int err = delete_module_retrying(200ms, &rmmod_busy);
        if (unload_refused_while_busy(err))
            busy_rounds++;
        else if (err)
            odd_errnos.push_back(err);
        if (err)
            continue;
        unloads++;
        std::this_thread::sleep_for(10ms);  // calls fail while it is away
        const int load_err = finit_module_path(ko_);
        if (load_err)
            odd_errnos.push_back(load_err);
        else
            loads++;
    }
    if (!module_loaded() && finit_module_path(ko_) == 0)
        loads++;
    stop = true;
    for (auto &th : threads)
        th.join();
    shell("echo " + saved_modprobe.substr(0, saved_modprobe.find('\n')) + " > " + modprobe_path);
    std::printf(
        "reload stress: %d rounds: %d unloads, %d loads, %d rounds rmmod stayed busy "
        "(%ld EWOULDBLOCK); calls: %ld good rounds, %ld failed (module away), %ld wrong\n",
        kRounds, unloads, loads, busy_rounds, rmmod_busy, ok.load(), failed.load(), wrong.load());
    EXPECT_TRUE(odd_errnos.empty()) << "rmmod/insmod failed with errno " << odd_errnos.front();
    EXPECT_GT(unloads, 0) << "rmmod never got a window";
    EXPECT_TRUE(module_loaded());
    EXPECT_GE(loads, unloads) << "every unload was followed by a load";
    EXPECT_GT(ok.load(), 0);
    EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace kcall_test
