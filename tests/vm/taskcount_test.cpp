// SPDX-License-Identifier: GPL-2.0-only
// taskcount against /proc: same number at a quiet moment, one more per
// process, none per thread.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "kcall_dev.h"
#include "proc_util.h"

namespace kcall_test {
namespace {

int64_t taskcount(const Device &dev)
{
    auto arg = zeroed<kcall_taskcount>();
    if (dev.call(KCALL_IOC_TASKCOUNT, &arg) != 0)
        return -1;
    return static_cast<int64_t>(arg.count);
}

class Taskcount : public testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(dev_.ok()); }

    // taskcount at a quiet moment, checked against /proc.
    int64_t quiet_count()
    {
        auto r = at_quiet_moment([this] { return taskcount(dev_); });
        EXPECT_TRUE(r.has_value()) << "/proc never held still";
        if (!r)
            return -1;
        EXPECT_EQ(r->second, r->first) << "taskcount vs processes listed in /proc";
        return r->second;
    }

    Device dev_;
};

TEST_F(Taskcount, EqualsProcAtQuietMoment)
{
    EXPECT_GT(quiet_count(), 0);
}

TEST_F(Taskcount, CountsEachProcessOnce)
{
    const int64_t base = quiet_count();
    constexpr int kChildren = 25;
    int hold[2];
    ASSERT_EQ(pipe(hold), 0);
    std::vector<pid_t> children;
    for (int i = 0; i < kChildren; i++) {
        const pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            close(hold[1]);
            char c;
            // Blocks until the parent closes its end.
            (void)!read(hold[0], &c, 1);
            _exit(0);
        }
        children.push_back(pid);
    }
    close(hold[0]);
    EXPECT_EQ(quiet_count(), base + kChildren);

    close(hold[1]);
    for (pid_t pid : children)
        waitpid(pid, nullptr, 0);
    EXPECT_EQ(quiet_count(), base);
}

TEST_F(Taskcount, ThreadsAreNotProcesses)
{
    const int64_t base = quiet_count();
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    threads.reserve(8);
    for (int i = 0; i < 8; i++)
        threads.emplace_back([&stop] {
            while (!stop.load())
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        });
    EXPECT_EQ(quiet_count(), base);
    stop = true;
    for (auto &t : threads)
        t.join();
}

TEST_F(Taskcount, ZombiesCountUntilReaped)
{
    // ps -e lists a zombie; so does /proc, and so must taskcount.
    const int64_t base = quiet_count();
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0)
        _exit(0);
    siginfo_t info{};
    ASSERT_EQ(waitid(P_PID, pid, &info, WEXITED | WNOWAIT), 0);  // exited, not reaped
    EXPECT_EQ(quiet_count(), base + 1);
    waitpid(pid, nullptr, 0);
    EXPECT_EQ(quiet_count(), base);
}

// The debug kernel's module (CONFIG_PROVE_RCU) can be made to leave the
// walk's RCU read section and resume it every N pids, a path that
// otherwise runs only when something else wants the CPU: lockdep and
// KASAN see it run, and the count stays what /proc lists.
constexpr const char *resume_every = "/sys/module/kcall/parameters/walk_resume_every";
constexpr const char *resumes = "/sys/module/kcall/parameters/walk_resumes";

bool write_param(const char *path, int value)
{
    std::ofstream f(path);
    f << value << "\n";
    f.flush();
    return static_cast<bool>(f);
}

long read_param(const char *path)
{
    std::ifstream f(path);
    long v = -1;
    f >> v;
    return v;
}

TEST_F(Taskcount, AWalkResumedEveryFewPidsCountsTheSame)
{
    if (access(resume_every, F_OK) != 0) {
        // Every kernel with lockdep (/proc/lockdep) has PROVE_RCU: the hook must be there.
        ASSERT_NE(access("/proc/lockdep", F_OK), 0)
            << "a lockdep kernel's module without " << resume_every;
        GTEST_SKIP() << "the resume hook is the debug kernel's";
    }
    for (const int every : {1, 2, 5}) {
        ASSERT_TRUE(write_param(resume_every, every));
        const long before = read_param(resumes);
        const int64_t n = quiet_count();
        const long ran = read_param(resumes) - before;
        ASSERT_TRUE(write_param(resume_every, 0));
        EXPECT_GT(n, 0) << "every " << every;
        // Each walk looks at at least its n pids: n / every resumes or more.
        EXPECT_GE(ran, n / every) << "every " << every << " pids, " << n << " processes";
        EXPECT_GT(ran, 0) << "every " << every;
    }
}

}  // namespace
}  // namespace kcall_test
