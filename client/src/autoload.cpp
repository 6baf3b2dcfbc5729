// SPDX-License-Identifier: MIT
// A raw CTRL_CMD_GETFAMILY request, without libnl: the 32-bit, ioctl-only
// build of the library autoloads too.
#include "autoload.hpp"

#include <fcntl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include <kcall.h>  // the uapi

#include "unique_fd.hpp"

namespace kcall {

bool autoload_module()
{
    UniqueFd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC));
    if (!fd.valid())
        return false;
    struct {
        nlmsghdr nlh;
        genlmsghdr genl;
        nlattr attr;
        char name[NLA_ALIGN(sizeof(KCALL_GENL_NAME))];
    } req{};
    req.nlh.nlmsg_len = sizeof(req);
    req.nlh.nlmsg_type = GENL_ID_CTRL;
    req.nlh.nlmsg_flags = NLM_F_REQUEST;
    req.genl.cmd = CTRL_CMD_GETFAMILY;
    req.genl.version = 2;
    req.attr.nla_len = NLA_HDRLEN + sizeof(KCALL_GENL_NAME);
    req.attr.nla_type = CTRL_ATTR_FAMILY_NAME;
    std::memcpy(req.name, KCALL_GENL_NAME, sizeof(KCALL_GENL_NAME));
    if (::send(fd.get(), &req, sizeof(req), 0) != static_cast<ssize_t>(sizeof(req)))
        return false;
    // The answer: the family (the module is loaded) or an error message.
    alignas(nlmsghdr) char buf[4096];
    const ssize_t n = ::recv(fd.get(), buf, sizeof(buf), 0);
    if (n < static_cast<ssize_t>(NLMSG_HDRLEN))
        return false;
    return reinterpret_cast<const nlmsghdr *>(buf)->nlmsg_type == GENL_ID_CTRL;
}

int open_device()
{
    int fd = ::open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC);
    // No node: the module is not loaded (there is no static node to load
    // it on open); loading it creates the node before the answer comes.
    if (fd < 0 && errno == ENOENT) {
        if (!autoload_module()) {
            errno = ENOENT;
            return -1;
        }
        fd = ::open("/dev/" KCALL_DEVICE_NAME, O_RDWR | O_CLOEXEC);
    }
    return fd;
}

}  // namespace kcall
