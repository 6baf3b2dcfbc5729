// SPDX-License-Identifier: GPL-2.0-only
#include "raw_genl.h"

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <kcall.h>

namespace kcall_test {

namespace {

struct Request {
    nlmsghdr nlh;
    genlmsghdr genl;
    nlattr attr;
    int32_t value;
};

// Walks the attributes of a generic netlink message; the payload of type t.
const void *find_attr(const nlmsghdr *nlh, uint16_t t, size_t *len)
{
    const auto *base = reinterpret_cast<const char *>(NLMSG_DATA(nlh)) + GENL_HDRLEN;
    int rem = static_cast<int>(nlh->nlmsg_len) - NLMSG_HDRLEN - GENL_HDRLEN;
    while (rem >= static_cast<int>(sizeof(nlattr))) {
        const auto *a = reinterpret_cast<const nlattr *>(base);
        if (a->nla_len < sizeof(nlattr) || a->nla_len > rem)
            return nullptr;
        if ((a->nla_type & NLA_TYPE_MASK) == t) {
            *len = a->nla_len - NLA_HDRLEN;
            return base + NLA_HDRLEN;
        }
        const int step = NLA_ALIGN(a->nla_len);
        base += step;
        rem -= step;
    }
    return nullptr;
}

}  // namespace

RawGenl::RawGenl() : fd_(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC))
{
    resolve();
}

RawGenl::RawGenl(int fd) : fd_(fd)
{
    resolve();
}

void RawGenl::resolve()
{
    if (fd_ < 0)
        return;
    // CTRL_CMD_GETFAMILY "kcall" -> CTRL_ATTR_FAMILY_ID
    struct {
        nlmsghdr nlh;
        genlmsghdr genl;
        nlattr attr;
        char name[8];
    } req{};
    req.nlh.nlmsg_len = sizeof(req);
    req.nlh.nlmsg_type = GENL_ID_CTRL;
    req.nlh.nlmsg_flags = NLM_F_REQUEST;
    req.nlh.nlmsg_seq = ++seq_;
    req.genl.cmd = CTRL_CMD_GETFAMILY;
    req.genl.version = 2;
    req.attr.nla_len = NLA_HDRLEN + sizeof(KCALL_GENL_NAME);
    req.attr.nla_type = CTRL_ATTR_FAMILY_NAME;
    std::memcpy(req.name, KCALL_GENL_NAME, sizeof(KCALL_GENL_NAME));
    if (send(fd_, &req, sizeof(req), 0) != static_cast<ssize_t>(sizeof(req)))
        return;
    alignas(nlmsghdr) char buf[8192];
    const ssize_t n = recv(fd_, buf, sizeof(buf), 0);
    const auto *nlh = reinterpret_cast<const nlmsghdr *>(buf);
    if (n < static_cast<ssize_t>(NLMSG_HDRLEN) || nlh->nlmsg_type != GENL_ID_CTRL)
        return;
    size_t len = 0;
    const void *id = find_attr(nlh, CTRL_ATTR_FAMILY_ID, &len);
    if (id && len == sizeof(uint16_t))
        std::memcpy(&family_, id, sizeof(family_));
}

RawGenl::~RawGenl()
{
    if (fd_ >= 0)
        close(fd_);
}

int RawGenl::exchange(uint8_t cmd, const std::vector<char> &attrs, std::vector<char> *answer)
{
    std::vector<char> req(NLMSG_HDRLEN + GENL_HDRLEN, 0);
    req.insert(req.end(), attrs.begin(), attrs.end());
    auto *nlh = reinterpret_cast<nlmsghdr *>(req.data());
    nlh->nlmsg_len = static_cast<uint32_t>(req.size());
    nlh->nlmsg_type = family_;
    nlh->nlmsg_flags = NLM_F_REQUEST;
    nlh->nlmsg_seq = ++seq_;
    auto *g = reinterpret_cast<genlmsghdr *>(req.data() + NLMSG_HDRLEN);
    g->cmd = cmd;
    g->version = KCALL_GENL_VERSION;
    if (send(fd_, req.data(), req.size(), 0) != static_cast<ssize_t>(req.size()))
        return errno;
    answer->resize(16384);
    const ssize_t n = recv(fd_, answer->data(), answer->size(), 0);
    if (n < 0) {
        const int err = errno;
        answer->clear();
        return err;
    }
    answer->resize(static_cast<size_t>(n));
    return 0;
}

std::vector<char> RawGenl::roundtrip(uint8_t cmd,
                                     const std::vector<std::pair<uint16_t, int32_t>> &attrs)
{
    std::vector<char> payload;
    for (const auto &[type, value] : attrs) {
        const nlattr a{NLA_HDRLEN + sizeof(int32_t), type};
        const size_t at = payload.size();
        payload.resize(at + NLA_HDRLEN + sizeof(int32_t));
        std::memcpy(payload.data() + at, &a, sizeof(a));
        std::memcpy(payload.data() + at + NLA_HDRLEN, &value, sizeof(value));
    }
    std::vector<char> answer;
    exchange(cmd, payload, &answer);
    return answer;
}

int RawGenl::call(uint8_t cmd, const std::vector<char> &attrs)
{
    std::vector<char> answer;
    const int err = exchange(cmd, attrs, &answer);
    if (err)
        return err;
    if (answer.size() < NLMSG_HDRLEN)
        return EPROTO;
    const auto *nlh = reinterpret_cast<const nlmsghdr *>(answer.data());
    if (nlh->nlmsg_type != NLMSG_ERROR)
        return 0;
    if (answer.size() < NLMSG_HDRLEN + sizeof(nlmsgerr))
        return EPROTO;
    return -static_cast<const nlmsgerr *>(NLMSG_DATA(nlh))->error;
}

int RawGenl::retparam(int32_t value, int32_t *result)
{
    return request(KCALL_CMD_RETPARAM, value, result);
}

int RawGenl::request(uint8_t cmd, int32_t value, int32_t *result)
{
    // No NLM_F_ACK: a success is answered by the reply, a failure by an
    // error message; either way one message back.
    Request req{};
    req.nlh.nlmsg_len = sizeof(req);
    req.nlh.nlmsg_type = family_;
    req.nlh.nlmsg_flags = NLM_F_REQUEST;
    req.nlh.nlmsg_seq = ++seq_;
    req.genl.cmd = cmd;
    req.genl.version = KCALL_GENL_VERSION;
    req.attr.nla_len = NLA_HDRLEN + sizeof(int32_t);
    req.attr.nla_type = KCALL_A_VALUE;
    req.value = value;
    if (send(fd_, &req, sizeof(req), 0) != static_cast<ssize_t>(sizeof(req)))
        return errno;
    alignas(nlmsghdr) char buf[512];
    const ssize_t n = recv(fd_, buf, sizeof(buf), 0);
    if (n < 0)
        return errno;
    const auto *nlh = reinterpret_cast<const nlmsghdr *>(buf);
    if (nlh->nlmsg_type == NLMSG_ERROR)
        return -static_cast<const nlmsgerr *>(NLMSG_DATA(nlh))->error;
    size_t len = 0;
    const void *v = find_attr(nlh, KCALL_A_RESULT, &len);
    if (!v || len != sizeof(int32_t))
        return EPROTO;
    std::memcpy(result, v, sizeof(*result));
    return 0;
}

}  // namespace kcall_test
