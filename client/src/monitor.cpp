// SPDX-License-Identifier: MIT
// kcall::Monitor: a libnl socket subscribed to the family's "events"
// multicast group. Events are parsed into a queue as libnl hands them over;
// next() drains it, polling the socket with the caller's timeout.
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <poll.h>

#include <cerrno>
#include <deque>
#include <new>

#include <kcall.h>  // the uapi

#include "kcall/kcall.hpp"
#include "nl_util.hpp"

namespace kcall {

struct Monitor::Impl {
    nl::Connection conn;
    nl::Cb cb;  // libnl's receive callbacks: parse events into queue
    std::deque<Event> queue;
};

namespace {

// Events are bursty; a large buffer keeps a slow reader from losing them.
constexpr int rcvbuf_bytes = 4 << 20;

int64_t get_s64(nlattr *a)
{
    return a && nla_len(a) == sizeof(int64_t) ? static_cast<int64_t>(nla_get_u64(a)) : 0;
}

uint32_t get_u32(nlattr *a)
{
    return a && nla_len(a) == sizeof(uint32_t) ? nla_get_u32(a) : 0;
}

// Multicast messages carry no sequence number of ours: accept them all.
int accept_any_seq(nl_msg *, void *)
{
    return NL_OK;
}

int on_event(nl_msg *msg, void *arg)
{
    auto *queue = static_cast<std::deque<Event> *>(arg);
    auto *gnlh = static_cast<genlmsghdr *>(nlmsg_data(nlmsg_hdr(msg)));
    if (gnlh->cmd != KCALL_CMD_EVENT)
        return NL_SKIP;
    nlattr *tb[KCALL_A_MAX + 1] = {};
    if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, KCALL_A_MAX, nullptr) < 0 || !tb[KCALL_A_OP])
        return NL_SKIP;
    Event e;
    e.op = get_u32(tb[KCALL_A_OP]);
    const uint32_t t = get_u32(tb[KCALL_A_TRANSPORT]);
    e.transport = t == KCALL_EVENT_IOCTL     ? Transport::ioctl
                  : t == KCALL_EVENT_NETLINK ? Transport::netlink
                                             : Transport::automatic;
    e.pid = static_cast<int32_t>(get_u32(tb[KCALL_A_PID]));
    if (tb[KCALL_A_COMM])
        e.comm = nla_get_string(tb[KCALL_A_COMM]);
    e.arg = get_s64(tb[KCALL_A_ARG]);
    e.error = static_cast<int>(get_u32(tb[KCALL_A_ERRNO]));
    e.result = get_s64(tb[KCALL_A_RETVAL]);
    try {
        queue->push_back(std::move(e));
    } catch (const std::bad_alloc &) {
        return NL_STOP;
    }
    return NL_OK;
}

}  // namespace

Result<Monitor> Monitor::open()
{
    try {
        auto conn = nl::connect();
        if (!conn)
            return conn.error();
        nl_sock *sock = conn->sock.get();
        errno = 0;
        const int grp = genl_ctrl_resolve_grp(sock, KCALL_GENL_NAME, KCALL_MCGRP_EVENTS);
        if (grp < 0)
            return Error{nl::to_errno(grp), "the module has no events group"};
        nl_socket_set_buffer_size(sock, rcvbuf_bytes, 0);
        errno = 0;
        const int err = nl_socket_add_membership(sock, grp);
        if (err < 0) {
            const int code = nl::to_errno(err);
            return Error{code, code == EPERM ? "joining the events group needs CAP_SYS_ADMIN"
                                             : "cannot join the events group"};
        }
        auto impl = std::make_unique<Impl>();
        impl->conn = std::move(*conn);
        impl->cb.reset(nl_cb_alloc(NL_CB_DEFAULT));
        if (!impl->cb)
            return Error{ENOMEM, {}};
        nl_cb_set(impl->cb.get(), NL_CB_SEQ_CHECK, NL_CB_CUSTOM, accept_any_seq, nullptr);
        nl_cb_set(impl->cb.get(), NL_CB_VALID, NL_CB_CUSTOM, on_event, &impl->queue);
        return Monitor(std::move(impl));
    } catch (const std::bad_alloc &) {
        return Error{ENOMEM, {}};
    }
}

Monitor::Monitor(std::unique_ptr<Impl> impl) : impl_(std::move(impl))
{
}
Monitor::Monitor(Monitor &&) noexcept = default;
Monitor &Monitor::operator=(Monitor &&) noexcept = default;
Monitor::~Monitor() = default;

int Monitor::fd() const
{
    return nl_socket_get_fd(impl_->conn.sock.get());
}

Result<Event> Monitor::next(int timeout_ms)
{
    while (impl_->queue.empty()) {
        pollfd p{nl_socket_get_fd(impl_->conn.sock.get()), POLLIN, 0};
        const int n = ::poll(&p, 1, timeout_ms);
        if (n < 0)
            return Error{errno, {}};
        if (n == 0)
            return Error{ETIMEDOUT, "no event in time"};
        errno = 0;
        const int err = nl_recvmsgs(impl_->conn.sock.get(), impl_->cb.get());
        if (err < 0) {
            const int code = errno == ENOBUFS ? ENOBUFS : nl::to_errno(err);
            return Error{code, code == ENOBUFS
                                   ? "events lost: the reader fell behind or kcall dropped them"
                                   : ""};
        }
    }
    Event e = std::move(impl_->queue.front());
    impl_->queue.pop_front();
    return e;
}

}  // namespace kcall
