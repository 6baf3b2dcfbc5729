// SPDX-License-Identifier: GPL-2.0-only
#include "foreign_listener.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "kcall/kcall.hpp"
#include "privilege.h"

namespace kcall_test {

namespace {

volatile sig_atomic_t stop_asked = 0;

void ask_stop(int)
{
    stop_asked = 1;
}

[[noreturn]] void listen_and_count(int ready_fd, int result_fd, int ms, bool churn)
{
    std::string out;
    if (!drop_privileges(Privilege::nobody))
        out = "cannot drop privileges";
    else if (unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0)
        out = std::string("unshare: ") + std::strerror(errno);
    signal(SIGUSR1, ask_stop);
    auto m = kcall::Monitor::open();
    if (out.empty() && !m)
        out = "cannot join: " + std::string(m.error().what());
    const char ready = out.empty() ? 'r' : 'e';
    if (write(ready_fd, &ready, 1) != 1)
        _exit(1);
    if (out.empty()) {
        int n = 0, joins = 0;
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        while (!stop_asked && std::chrono::steady_clock::now() < until) {
            if (churn) {
                // Joins, then leaves as the monitor goes.
                if (kcall::Monitor::open())
                    joins++;
                if (m->next(0))
                    n++;
                usleep(500);
            } else if (m->next(100)) {
                n++;
            }
        }
        out = "events=" + std::to_string(n);
        if (churn)
            out += " joins=" + std::to_string(joins);
    }
    _exit(write(result_fd, out.data(), out.size()) > 0 ? 0 : 1);
}

}  // namespace

ForeignListener::ForeignListener(int ms, bool churn)
{
    int ready[2], done[2];
    if (pipe2(ready, O_CLOEXEC) != 0 || pipe2(done, O_CLOEXEC) != 0) {
        error_ = "pipe failed";
        return;
    }
    pid_ = fork();
    if (pid_ == 0)
        listen_and_count(ready[1], done[1], ms, churn);
    close(ready[1]);
    close(done[1]);
    result_fd_ = done[0];
    char r = 0;
    if (pid_ < 0)
        error_ = "fork failed";
    else if (read(ready[0], &r, 1) != 1 || r != 'r')
        error_ = "the listener did not join: " + result();
    close(ready[0]);
}

ForeignListener::~ForeignListener()
{
    if (pid_ > 0)
        kill(pid_, SIGKILL);
    result();
}

std::string ForeignListener::stop()
{
    if (pid_ > 0)
        kill(pid_, SIGUSR1);
    return result();
}

std::string ForeignListener::result()
{
    std::string out;
    if (result_fd_ >= 0) {
        char buf[256];
        ssize_t n;
        while ((n = read(result_fd_, buf, sizeof(buf))) > 0)
            out.append(buf, static_cast<size_t>(n));
        close(result_fd_);
        result_fd_ = -1;
    }
    if (pid_ > 0) {
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }
    return out;
}

}  // namespace kcall_test
