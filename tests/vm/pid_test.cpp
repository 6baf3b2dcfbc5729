// SPDX-License-Identifier: GPL-2.0-only
// retpid and taskcount report the caller's view: the process id (not the
// thread id), the current parent, and values local to its pid namespace.
#include <gtest/gtest.h>

#include <sched.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "kcall_dev.h"
#include "proc_util.h"

namespace kcall_test {
namespace {

// Result of retpid(which), or -errno.
int64_t retpid(const Device &dev, int which)
{
    auto arg = zeroed<kcall_retpid>();
    arg.which = which;
    const int err = dev.call(KCALL_IOC_RETPID, &arg);
    return err ? -err : arg.pid;
}

int64_t taskcount(const Device &dev)
{
    auto arg = zeroed<kcall_taskcount>();
    const int err = dev.call(KCALL_IOC_TASKCOUNT, &arg);
    return err ? -err : static_cast<int64_t>(arg.count);
}

TEST(Retpid, SecondThreadGetsProcessIdNotThreadId)
{
    Device dev;
    ASSERT_TRUE(dev.ok());
    pid_t tid = 0;
    int64_t self = 0, parent = 0;
    std::thread t([&] {
        tid = static_cast<pid_t>(syscall(SYS_gettid));
        self = retpid(dev, KCALL_RETPID_SELF);
        parent = retpid(dev, KCALL_RETPID_PARENT);
    });
    t.join();
    EXPECT_NE(tid, getpid()) << "the thread must really be a second thread";
    EXPECT_EQ(self, getpid());
    EXPECT_EQ(parent, getppid());
}

TEST(Retpid, ParentFollowsReparenting)
{
    // A grandchild whose parent exits is reparented; retpid(1) must
    // report the new parent, as getppid() does.
    int report[2];
    ASSERT_EQ(pipe(report), 0);
    const pid_t middle = fork();
    ASSERT_GE(middle, 0);
    if (middle == 0) {
        // Taken before the fork: the middle may be gone before the child
        // first runs, and then getppid() already names the new parent.
        const pid_t me = getpid();
        const pid_t child = fork();
        if (child != 0)
            _exit(child < 0);
        while (getppid() == me)
            usleep(1000);
        Device dev;
        const int64_t got[2] = {retpid(dev, KCALL_RETPID_PARENT), getppid()};
        (void)!write(report[1], got, sizeof(got));
        _exit(0);
    }
    close(report[1]);
    int status = 0;
    ASSERT_EQ(waitpid(middle, &status, 0), middle);
    int64_t got[2] = {-1, -2};
    ASSERT_EQ(read(report[0], got, sizeof(got)), static_cast<ssize_t>(sizeof(got)));
    close(report[0]);
    EXPECT_EQ(got[0], got[1]);
    EXPECT_NE(got[0], middle);
}

// What a process sees from inside a new pid namespace.
struct NamespaceView {
    int64_t getpid, retpid_self, getppid, retpid_parent;
    int64_t proc_count, taskcount;
    int64_t child_retpid_self, child_retpid_parent;
    int64_t proc_count_with_child, taskcount_with_child;
};

// The child half of the namespace test: pid 1 of a fresh pid namespace with
// its own /proc (as "unshare --pid --fork --mount-proc" makes it).
[[noreturn]] void namespace_init(int out)
{
    NamespaceView v{};
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) ||
        mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr))
        _exit(2);
    Device dev;
    if (!dev.ok())
        _exit(3);
    v.getpid = getpid();
    v.retpid_self = retpid(dev, KCALL_RETPID_SELF);
    v.getppid = getppid();
    v.retpid_parent = retpid(dev, KCALL_RETPID_PARENT);
    v.proc_count = count_proc_processes();
    v.taskcount = taskcount(dev);

    int up[2], hold[2];
    if (pipe(up) || pipe(hold))
        _exit(4);
    const pid_t child = fork();
    if (child == 0) {
        const int64_t ids[2] = {retpid(dev, KCALL_RETPID_SELF), retpid(dev, KCALL_RETPID_PARENT)};
        (void)!write(up[1], ids, sizeof(ids));
        close(hold[1]);
        char c;
        (void)!read(hold[0], &c, 1);
        _exit(0);
    }
    close(hold[0]);
    int64_t ids[2] = {-1, -1};
    if (read(up[0], ids, sizeof(ids)) != sizeof(ids))
        _exit(5);
    v.child_retpid_self = ids[0];
    v.child_retpid_parent = ids[1];
    v.proc_count_with_child = count_proc_processes();
    v.taskcount_with_child = taskcount(dev);
    close(hold[1]);
    waitpid(child, nullptr, 0);

    (void)!write(out, &v, sizeof(v));
    _exit(0);
}

TEST(PidNamespace, ValuesAreNamespaceLocal)
{
    Device dev;
    ASSERT_TRUE(dev.ok());
    const int64_t host_count = taskcount(dev);

    int report[2];
    ASSERT_EQ(pipe(report), 0);
    const pid_t outer = fork();
    ASSERT_GE(outer, 0);
    if (outer == 0) {
        close(report[0]);
        if (unshare(CLONE_NEWPID | CLONE_NEWNS))
            _exit(10);
        const pid_t init = fork();
        if (init == 0)
            namespace_init(report[1]);
        int status = 1;
        waitpid(init, &status, 0);
        _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 11);
    }
    close(report[1]);
    NamespaceView v{};
    const ssize_t n = read(report[0], &v, sizeof(v));
    close(report[0]);
    int status = 0;
    ASSERT_EQ(waitpid(outer, &status, 0), outer);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0) << "namespace setup failed (needs root)";
    ASSERT_EQ(n, static_cast<ssize_t>(sizeof(v)));

    EXPECT_EQ(v.getpid, 1);
    EXPECT_EQ(v.retpid_self, 1);
    EXPECT_EQ(v.getppid, 0) << "the parent lives outside the namespace";
    EXPECT_EQ(v.retpid_parent, 0);
    EXPECT_EQ(v.proc_count, 1);
    EXPECT_EQ(v.taskcount, 1) << "the host's " << host_count << " processes must not leak in";
    EXPECT_EQ(v.child_retpid_self, 2);
    EXPECT_EQ(v.child_retpid_parent, 1);
    EXPECT_EQ(v.proc_count_with_child, 2);
    EXPECT_EQ(v.taskcount_with_child, 2);
    EXPECT_GT(host_count, 2);
}

}  // namespace
}  // namespace kcall_test
