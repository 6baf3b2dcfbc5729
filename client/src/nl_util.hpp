// SPDX-License-Identifier: MIT
// libnl glue shared by the netlink backend and the event monitor.
#pragma once

#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include <time.h>

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

// How long a request waits for its answer before ETIMEDOUT, unless
// KCALL_TIMEOUT_MS says otherwise (read once per connection; 0: forever).
constexpr int default_timeout_ms = 5000;
int timeout_ms_from_env();

// A generic netlink socket with extended ACKs on and receives bounded by
// timeout_ms (SO_RCVTIMEO: no extra system call per request).
Result<Sock> open_socket(int timeout_ms);
// The family's id, asked of the kernel's controller.
Result<int> resolve_family(nl_sock *sock);

// The end of one request's wait for its answer. Each receive is bounded
// by SO_RCVTIMEO; a receive that starts again (after a signal, EINTR, or
// after a message that was not the answer) first waits with poll() for
// what is left, so that a periodic signal cannot stretch the wait forever.
class Deadline {
public:
    explicit Deadline(int timeout_ms) noexcept;  // 0: none
    // Before a receive after the first: 0 once fd is readable in time,
    // ETIMEDOUT when the time is up, or poll()'s errno. Not noexcept:
    // poll() is a cancellation point, and a cancelled thread unwinds here.
    int wait_readable(int fd) const;

private:
    int timeout_ms_;
    timespec end_{};
};

// A socket and the family's id.
struct Connection {
    Sock sock;
    int family = 0;
};
Result<Connection> connect(int timeout_ms = 0);

}  // namespace kcall::nl
