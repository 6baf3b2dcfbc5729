// SPDX-License-Identifier: GPL-2.0-only
#include "sleepers.h"

#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

namespace kcall_bench {

namespace {

constexpr size_t kStack = size_t{16} * 1024;

// Runs on its own small stack in our address space: only raw system
// calls, nothing that touches shared library state.
int sleep_forever(void *)
{
    for (;;)
        syscall(SYS_pause);
    return 0;
}

}  // namespace

bool Sleepers::resize(size_t n)
{
    while (pids_.size() > n) {
        const pid_t pid = pids_.back();
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, __WALL);
        munmap(stacks_.back(), kStack);
        pids_.pop_back();
        stacks_.pop_back();
    }
    while (pids_.size() < n) {
        void *stack = mmap(nullptr, kStack, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
        if (stack == MAP_FAILED)
            return false;
        const pid_t pid =
            clone(sleep_forever, static_cast<char *>(stack) + kStack, CLONE_VM | SIGCHLD, nullptr);
        if (pid < 0) {
            munmap(stack, kStack);
            return false;
        }
        pids_.push_back(pid);
        stacks_.push_back(stack);
    }
    return true;
}

}  // namespace kcall_bench
