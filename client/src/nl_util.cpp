// SPDX-License-Identifier: MIT
#include "nl_util.hpp"

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>

#include <kcall.h>  // the uapi

namespace kcall::nl {

int to_errno(int nlerr)
{
    switch (-nlerr) {
        case NLE_NOMEM:
            return ENOMEM;
        case NLE_OBJ_NOTFOUND:
            return ENOENT;
        case NLE_PERM:
            return EPERM;
        case NLE_OPNOTSUPP:
            return EOPNOTSUPP;
        case NLE_AGAIN:
            return ETIMEDOUT;
        default:
            return errno ? errno : EIO;
    }
}

int timeout_ms_from_env()
{
    const char *env = std::getenv("KCALL_TIMEOUT_MS");
    int ms = 0;
    if (!env || !*env)
        return default_timeout_ms;
    const char *end = env + std::strlen(env);
    const auto [p, ec] = std::from_chars(env, end, ms);
    if (ec != std::errc() || p != end || ms < 0)
        return default_timeout_ms;
    return ms;
}

Result<Sock> open_socket(int timeout_ms)
{
    Sock sock(nl_socket_alloc());
    if (!sock)
        return Error{ENOMEM, {}};
    errno = 0;
    const int err = genl_connect(sock.get());
    if (err < 0)
        return Error{to_errno(err), "cannot open a generic netlink socket"};
    const int one = 1;
    const int fd = nl_socket_get_fd(sock.get());
    setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
    // Errors need not echo our request back: the extended ACK says why.
    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
    if (timeout_ms > 0) {
        const timeval tv{timeout_ms / 1000, static_cast<suseconds_t>(timeout_ms % 1000) * 1000};
        if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0)
            return Error{errno, "cannot bound the reply wait"};
    }
    return sock;
}

namespace {

// A coarse clock: no system call (vDSO) even where the fine one has none,
// and a resolution far below any timeout in milliseconds.
timespec now() noexcept
{
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
    return t;
}

}  // namespace

Deadline::Deadline(int timeout_ms) noexcept : timeout_ms_(timeout_ms)
{
    if (timeout_ms_ <= 0)
        return;
    end_ = now();
    end_.tv_sec += timeout_ms_ / 1000;
    end_.tv_nsec += static_cast<long>(timeout_ms_ % 1000) * 1000000L;
    if (end_.tv_nsec >= 1000000000L) {
        end_.tv_sec++;
        end_.tv_nsec -= 1000000000L;
    }
}

int Deadline::wait_readable(int fd) const
{
    if (timeout_ms_ <= 0)
        return 0;
    for (;;) {
        const timespec t = now();
        const long long left_ns = (static_cast<long long>(end_.tv_sec) - t.tv_sec) * 1000000000LL +
                                  (end_.tv_nsec - t.tv_nsec);
        if (left_ns <= 0)
            return ETIMEDOUT;
        pollfd p{fd, POLLIN, 0};
        const int n = ::poll(&p, 1, static_cast<int>((left_ns + 999999) / 1000000));
        if (n > 0)
            return 0;
        if (n == 0)
            return ETIMEDOUT;
        if (errno != EINTR)
            return errno;
    }
}

Result<int> resolve_family(nl_sock *sock)
{
    errno = 0;
    const int family = genl_ctrl_resolve(sock, KCALL_GENL_NAME);
    if (family < 0)
        return Error{to_errno(family), "generic netlink family " KCALL_GENL_NAME " not found"};
    return family;
}

Result<Connection> connect(int timeout_ms)
{
    auto sock = open_socket(timeout_ms);
    if (!sock)
        return sock.error();
    auto family = resolve_family(sock->get());
    if (!family)
        return family.error();
    return Connection{std::move(*sock), *family};
}

}  // namespace kcall::nl
