// SPDX-License-Identifier: GPL-2.0-only
#include "genl_client.h"

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <sys/socket.h>

#include <cerrno>

#include <kcall.h>

namespace kcall_test {

namespace {

struct Exchange {
    GenlReply *reply;
    bool done = false;
};

int on_valid(nl_msg *msg, void *arg)
{
    auto *ex = static_cast<Exchange *>(arg);
    nlmsghdr *nlh = nlmsg_hdr(msg);
    auto *gnlh = static_cast<genlmsghdr *>(nlmsg_data(nlh));
    ex->reply->reply_cmd = gnlh->cmd;
    nlattr *attr;
    int rem;
    nla_for_each_attr(attr, genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0), rem)
    {
        std::string payload(static_cast<const char *>(nla_data(attr)), nla_len(attr));
        if (nla_type(attr) == KCALL_A_STATS || nla_type(attr) == KCALL_A_BATCH_OP)
            ex->reply->repeated.push_back(payload);
        ex->reply->attrs[nla_type(attr)] = std::move(payload);
    }
    return NL_OK;
}

int on_ack(nl_msg *, void *arg)
{
    static_cast<Exchange *>(arg)->done = true;
    return NL_STOP;
}

// The error message is followed by the request (unless capped) and the
// extended ACK attributes (NLM_F_ACK_TLVS).
int on_error(sockaddr_nl *, nlmsgerr *err, void *arg)
{
    auto *ex = static_cast<Exchange *>(arg);
    ex->done = true;
    ex->reply->err = -err->error;
    auto *nlh = reinterpret_cast<nlmsghdr *>(reinterpret_cast<char *>(err) - NLMSG_HDRLEN);
    if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
        return NL_STOP;
    size_t ack_len = NLMSG_HDRLEN + sizeof(*err);
    if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
        ack_len += err->msg.nlmsg_len - NLMSG_HDRLEN;
    if (nlh->nlmsg_len <= ack_len)
        return NL_STOP;
    auto *attrs = reinterpret_cast<nlattr *>(reinterpret_cast<char *>(nlh) + ack_len);
    nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
    if (nla_parse(tb, NLMSGERR_ATTR_MAX, attrs, static_cast<int>(nlh->nlmsg_len - ack_len),
                  nullptr) < 0)
        return NL_STOP;
    if (tb[NLMSGERR_ATTR_MSG])
        ex->reply->ext_msg = nla_get_string(tb[NLMSGERR_ATTR_MSG]);
    if (tb[NLMSGERR_ATTR_OFFS])
        ex->reply->ext_offset = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
    if (tb[NLMSGERR_ATTR_MISS_TYPE])
        ex->reply->miss_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
    return NL_STOP;
}

}  // namespace

GenlClient::GenlClient()
{
    sock_ = nl_socket_alloc();
    if (!sock_) {
        error_ = "nl_socket_alloc failed";
        return;
    }
    int err = genl_connect(sock_);
    if (err < 0) {
        error_ = std::string("genl_connect: ") + nl_geterror(err);
        return;
    }
    const int one = 1;
    setsockopt(nl_socket_get_fd(sock_), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
    family_ = genl_ctrl_resolve(sock_, KCALL_GENL_NAME);
    if (family_ < 0)
        error_ = std::string("resolve family " KCALL_GENL_NAME ": ") + nl_geterror(family_);
}

GenlClient::~GenlClient()
{
    if (sock_)
        nl_socket_free(sock_);
}

GenlReply GenlClient::request(uint8_t cmd, const std::function<void(nl_msg *)> &fill)
{
    GenlReply reply;
    nl_msg *msg = nlmsg_alloc_size(size_t{128} * 1024);
    if (!msg ||
        !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family_, 0, 0, cmd, KCALL_GENL_VERSION)) {
        reply.err = ENOMEM;
        nlmsg_free(msg);
        return reply;
    }
    if (fill)
        fill(msg);

    Exchange ex{&reply};
    nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
    nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &ex);
    nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &ex);
    nl_cb_err(cb, NL_CB_CUSTOM, on_error, &ex);

    errno = 0;
    int err = nl_send_auto(sock_, msg);  // adds NLM_F_REQUEST | NLM_F_ACK
    nlmsg_free(msg);
    if (err < 0) {
        reply.err = errno ? errno : EIO;
        reply.ext_msg = std::string("send: ") + nl_geterror(err);
        nl_cb_put(cb);
        return reply;
    }
    while (!ex.done) {
        err = nl_recvmsgs(sock_, cb);
        if (err < 0 && !ex.done) {
            reply.err = EIO;
            reply.ext_msg = std::string("recv: ") + nl_geterror(err);
            break;
        }
    }
    nl_cb_put(cb);
    return reply;
}

std::map<int, std::string> parse_attrs(const std::string &payload)
{
    std::map<int, std::string> out;
    // nla_for_each_attr only reads; libnl's signature lacks const.
    auto *head = reinterpret_cast<nlattr *>(const_cast<char *>(payload.data()));
    nlattr *attr;
    int rem;
    nla_for_each_attr(attr, head, static_cast<int>(payload.size()), rem)
    {
        out[nla_type(attr)] = std::string(static_cast<const char *>(nla_data(attr)), nla_len(attr));
    }
    return out;
}

}  // namespace kcall_test
