// SPDX-License-Identifier: MIT
// libnl glue shared by the netlink backend and the event monitor.
#pragma once

#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include <memory>

#include "kcall/kcall.hpp"

namespace kcall::nl {

struct SockDeleter {
    void operator()(nl_sock *s) const { nl_socket_free(s); }
};
struct CbDeleter {
    void operator()(nl_cb *cb) const { nl_cb_put(cb); }
};
struct MsgDeleter {
    void operator()(nl_msg *m) const { nlmsg_free(m); }
};
using Sock = std::unique_ptr<nl_sock, SockDeleter>;
using Cb = std::unique_ptr<nl_cb, CbDeleter>;
using Msg = std::unique_ptr<nl_msg, MsgDeleter>;

// libnl's own error codes, as errno values.
int to_errno(int nlerr);

// A generic netlink socket with extended ACKs on, and the family's id.
struct Connection {
    Sock sock;
    int family = 0;
};
Result<Connection> connect();

}  // namespace kcall::nl
