// SPDX-License-Identifier: GPL-2.0-only
// libkcall across fork(): parent and child call at the same time, through
// the default connection and through a handle opened before the fork, over
// each transport, and every answer is their own (retpid(self) is the
// caller's pid). A process pair runs apart from the test, bounded in time,
// so that a hang (a child stealing the parent's replies) fails the test
// instead of stopping the suite.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>

#include <kcall/kcall.h>
#include <kcall/kcall.hpp>

namespace kcall_test {
namespace {

using namespace std::chrono_literals;

constexpr int kCalls = 1000;

// Exit status of a side: 0, or what went wrong.
enum Status { kOk = 0, kWrongPid = 1, kFailed = 2, kChildFailed = 3, kNoChild = 4 };

// retpid(self) kCalls times through call(); kWrongPid on another's answer.
int loop(const std::function<int()> &call)
{
    const pid_t self = getpid();
    for (int i = 0; i < kCalls; i++) {
        const int pid = call();
        if (pid == -1)
            return kFailed;
        if (pid != self)
            return kWrongPid;
    }
    return kOk;
}

// In a process of its own: prepare() (opens the connection), fork, both
// sides run loop(call); exits with the worse of the two statuses.
[[noreturn]] void pair(const std::function<void()> &prepare, const std::function<int()> &call)
{
    prepare();
    if (call() != getpid())
        _exit(kFailed);
    const pid_t child = fork();
    if (child < 0)
        _exit(kNoChild);
    if (child == 0)
        _exit(loop(call));
    const int mine = loop(call);
    int status = 0;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status))
        _exit(kChildFailed);
    _exit(mine ? mine : (WEXITSTATUS(status) ? kChildFailed : kOk));
}

// Runs pair() apart, at most 60 s; its exit status.
int run_pair(const std::function<void()> &prepare, const std::function<int()> &call)
{
    const pid_t p = fork();
    if (p == 0) {
        setpgid(0, 0);
        pair(prepare, call);
    }
    if (p < 0)
        return kNoChild;
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    int status = 0;
    while (waitpid(p, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(-p, SIGKILL);
            waitpid(p, &status, 0);
            return -1;  // hung
        }
        std::this_thread::sleep_for(10ms);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -2;
}

class LibraryFork : public testing::TestWithParam<const char *> {};

TEST_P(LibraryFork, DefaultConnectionAnswersEachProcessItsOwn)
{
    const std::string transport = GetParam();
    const int r = run_pair(
        [&] {
            setenv("KCALL_TRANSPORT", transport.c_str(), 1);
            kcall_release_default();
        },
        [] { return kcall_retpid(KCALL_SELF); });
    EXPECT_EQ(r, kOk) << "status " << r << " (-1: hung, 1: another process's answer)";
}

TEST_P(LibraryFork, HandleOpenedBeforeForkAnswersEachProcessItsOwn)
{
    const std::string transport = GetParam();
    const auto t = transport == "netlink" ? kcall::Transport::netlink : kcall::Transport::ioctl;
    kcall::Client *client = nullptr;
    const int r = run_pair(
        [&] {
            auto c = kcall::Client::open(t);
            if (!c)
                _exit(kFailed);
            client = new kcall::Client(std::move(*c));  // lives until _exit
        },
        [&] { return client->retpid(KCALL_SELF).value_or(-1); });
    EXPECT_EQ(r, kOk) << "status " << r << " (-1: hung, 1: another process's answer)";
}

INSTANTIATE_TEST_SUITE_P(Transports, LibraryFork, testing::Values("ioctl", "netlink"),
                         [](const testing::TestParamInfo<const char *> &info) {
                             return std::string(info.param);
                         });

}  // namespace
}  // namespace kcall_test
