// SPDX-License-Identifier: GPL-2.0-only
// An "events" listener in another network namespace, as an unprivileged
// `unshare -Urn` makes one: the kernel lets it join there (it holds
// CAP_SYS_ADMIN in its own user namespace), and kcall must neither send it
// anything nor build events for calls nobody else can see because of it.
#pragma once

#include <sys/types.h>

#include <string>

namespace kcall_test {

class ForeignListener {
public:
    // Forks the listener (nobody, new user and network namespace, joined
    // to "events") and waits until it has joined; it counts the events it
    // receives for ms milliseconds. churn: meanwhile it also joins and
    // leaves the group again and again, as a user in their own namespace
    // may, and reports "events=N joins=M".
    explicit ForeignListener(int ms, bool churn = false);
    // Stops the listener if it still runs.
    ~ForeignListener();
    ForeignListener(const ForeignListener &) = delete;
    ForeignListener &operator=(const ForeignListener &) = delete;

    // Empty once the listener joined, else what went wrong.
    const std::string &error() const { return error_; }
    pid_t pid() const { return pid_; }
    // Waits for the listener to finish: "events=N" or what went wrong.
    std::string result();
    // Asks the listener to finish now; then result().
    std::string stop();

private:
    pid_t pid_ = -1;
    int result_fd_ = -1;
    std::string error_;
};

}  // namespace kcall_test
