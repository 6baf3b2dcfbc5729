// SPDX-License-Identifier: MIT
#include "nl_util.hpp"

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <sys/socket.h>

#include <cerrno>

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
        default:
            return errno ? errno : EIO;
    }
}

Result<Connection> connect()
{
    Connection c{Sock(nl_socket_alloc()), 0};
    if (!c.sock)
        return Error{ENOMEM, {}};
    errno = 0;
    int err = genl_connect(c.sock.get());
    if (err < 0)
        return Error{to_errno(err), "cannot open a generic netlink socket"};
    const int one = 1;
    const int fd = nl_socket_get_fd(c.sock.get());
    setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
    // Errors need not echo our request back: the extended ACK says why.
    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
    c.family = genl_ctrl_resolve(c.sock.get(), KCALL_GENL_NAME);
    if (c.family < 0)
        return Error{to_errno(c.family), "generic netlink family " KCALL_GENL_NAME " not found"};
    return c;
}

}  // namespace kcall::nl
