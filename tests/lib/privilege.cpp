// SPDX-License-Identifier: GPL-2.0-only
#include "privilege.h"

#include <grp.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kcall_test {

namespace {

bool drop_to_nobody()
{
    constexpr uid_t nobody = 65534;
    return setgroups(0, nullptr) == 0 && setresgid(nobody, nobody, nobody) == 0 &&
           setresuid(nobody, nobody, nobody) == 0;
}

bool drop_sys_admin()
{
    __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    if (syscall(SYS_capget, &hdr, data) != 0)
        return false;
    const unsigned bit = CAP_SYS_ADMIN % 32, word = CAP_SYS_ADMIN / 32;
    data[word].effective &= ~(1U << bit);
    data[word].permitted &= ~(1U << bit);
    data[word].inheritable &= ~(1U << bit);
    return syscall(SYS_capset, &hdr, data) == 0;
}

// Effective, permitted and inheritable sets reduced to the one capability.
bool keep_only(unsigned cap)
{
    __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    data[cap / 32].effective = data[cap / 32].permitted = 1U << (cap % 32);
    return syscall(SYS_capset, &hdr, data) == 0;
}

}  // namespace

bool drop_privileges(Privilege p)
{
    switch (p) {
        case Privilege::nobody:
            return drop_to_nobody();
        case Privilege::root_no_sys_admin:
            return drop_sys_admin();
        case Privilege::only_sys_admin:
            return keep_only(CAP_SYS_ADMIN);
        case Privilege::only_net_admin:
            return keep_only(CAP_NET_ADMIN);
        case Privilege::unchanged:
            return true;
    }
    return false;
}

std::string run_with(Privilege p, const std::function<std::string()> &fn)
{
    int fds[2];
    if (pipe(fds) != 0)
        return std::string("pipe: ") + std::strerror(errno);
    const pid_t pid = fork();
    if (pid < 0)
        return std::string("fork: ") + std::strerror(errno);
    if (pid == 0) {
        close(fds[0]);
        const bool dropped = drop_privileges(p);
        const std::string out =
            dropped ? fn() : std::string("cannot drop privileges: ") + std::strerror(errno);
        const ssize_t n = write(fds[1], out.data(), out.size());
        _exit(n == static_cast<ssize_t>(out.size()) ? 0 : 1);
    }
    close(fds[1]);
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof(buf))) > 0)
        out.append(buf, static_cast<size_t>(n));
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return "child failed (status " + std::to_string(status) + "): " + out;
    return out;
}

}  // namespace kcall_test
