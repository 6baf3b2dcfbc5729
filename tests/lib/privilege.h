// SPDX-License-Identifier: GPL-2.0-only
// Runs test code in a child process with fewer privileges than the root
// test runner: as an unprivileged user, as root without CAP_SYS_ADMIN, or
// as root with a single capability.
#pragma once

#include <functional>
#include <string>

namespace kcall_test {

enum class Privilege {
    nobody,             // uid/gid 65534, no capabilities
    root_no_sys_admin,  // uid 0, every capability but CAP_SYS_ADMIN
    only_sys_admin,     // uid 0, CAP_SYS_ADMIN and no other capability
    only_net_admin,     // uid 0, CAP_NET_ADMIN and no other capability
    unchanged,          // as the caller: only the separate process
};

// Drops this process to that privilege; false (errno set) if it cannot.
bool drop_privileges(Privilege p);

// Runs fn in a forked child with that privilege and returns what fn
// returned, or a description of how the child failed.
std::string run_with(Privilege p, const std::function<std::string()> &fn);

}  // namespace kcall_test
