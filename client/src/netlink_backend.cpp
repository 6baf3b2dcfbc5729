// SPDX-License-Identifier: MIT
// Transport over the generic netlink family "kcall", with libnl-genl-3:
// the family is resolved once, the socket and callbacks are reused, and
// extended ACKs are enabled so that errors carry the kernel's reason.
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <sys/socket.h>

#include <cerrno>
#include <mutex>

#include <kcall.h>  // the uapi

#include "backends.hpp"

namespace kcall {

namespace {

struct SockDeleter {
    void operator()(nl_sock *s) const { nl_socket_free(s); }
};
struct CbDeleter {
    void operator()(nl_cb *cb) const { nl_cb_put(cb); }
};
struct MsgDeleter {
    void operator()(nl_msg *m) const { nlmsg_free(m); }
};

// The state of one request while libnl runs our callbacks.
struct Exchange {
    int result_attr = 0;
    bool done = false;
    int err = 0;
    std::string message;
    int64_t value = 0;
    bool have_value = false;
};

int on_valid(nl_msg *msg, void *arg)
{
    auto *ex = static_cast<Exchange *>(arg);
    nlattr *tb[KCALL_A_MAX + 1] = {};
    if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, KCALL_A_MAX, nullptr) < 0)
        return NL_SKIP;
    if (ex->result_attr && tb[ex->result_attr]) {
        nlattr *a = tb[ex->result_attr];
        if (ex->result_attr == KCALL_A_COUNT && nla_len(a) == sizeof(uint64_t)) {
            ex->value = static_cast<int64_t>(nla_get_u64(a));
            ex->have_value = true;
        } else if (nla_len(a) == sizeof(int32_t)) {
            ex->value = static_cast<int32_t>(nla_get_u32(a));
            ex->have_value = true;
        }
    }
    return NL_OK;
}

int on_ack(nl_msg *, void *arg)
{
    static_cast<Exchange *>(arg)->done = true;
    return NL_STOP;
}

// An error message: struct nlmsgerr, the request unless capped, then the
// extended ACK attributes.
int on_error(sockaddr_nl *, nlmsgerr *err, void *arg)
{
    auto *ex = static_cast<Exchange *>(arg);
    ex->done = true;
    ex->err = -err->error;
    auto *nlh = reinterpret_cast<nlmsghdr *>(reinterpret_cast<char *>(err) - NLMSG_HDRLEN);
    if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
        return NL_STOP;
    size_t off = NLMSG_HDRLEN + sizeof(*err);
    if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
        off += err->msg.nlmsg_len - NLMSG_HDRLEN;
    if (nlh->nlmsg_len <= off)
        return NL_STOP;
    nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
    auto *attrs = reinterpret_cast<nlattr *>(reinterpret_cast<char *>(nlh) + off);
    if (nla_parse(tb, NLMSGERR_ATTR_MAX, attrs, static_cast<int>(nlh->nlmsg_len - off), nullptr) ==
            0 &&
        tb[NLMSGERR_ATTR_MSG])
        ex->message = nla_get_string(tb[NLMSGERR_ATTR_MSG]);
    return NL_STOP;
}

// libnl's own error codes, as errno values.
int nl_errno(int nlerr)
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

class NetlinkBackend final : public Backend {
public:
    NetlinkBackend(std::unique_ptr<nl_sock, SockDeleter> sock, std::unique_ptr<nl_cb, CbDeleter> cb,
                   int family)
        : sock_(std::move(sock)), cb_(std::move(cb)), family_(family)
    {
    }

    Transport transport() const override { return Transport::netlink; }

    Result<int64_t> call(Op op, int32_t arg) override
    {
        uint8_t cmd = 0;
        int arg_attr = 0;
        Exchange ex;
        switch (op) {
            case Op::goodbye:
                cmd = KCALL_CMD_GOODBYE;
                break;
            case Op::showparams:
                cmd = KCALL_CMD_SHOWPARAMS;
                arg_attr = KCALL_A_VALUE;
                break;
            case Op::retparam:
                cmd = KCALL_CMD_RETPARAM;
                arg_attr = KCALL_A_VALUE;
                ex.result_attr = KCALL_A_RESULT;
                break;
            case Op::retpid:
                cmd = KCALL_CMD_RETPID;
                arg_attr = KCALL_A_WHICH;
                ex.result_attr = KCALL_A_PID;
                break;
            case Op::taskcount:
                cmd = KCALL_CMD_TASKCOUNT;
                ex.result_attr = KCALL_A_COUNT;
                break;
        }

        std::unique_ptr<nl_msg, MsgDeleter> msg(nlmsg_alloc());
        if (!msg || !genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family_, 0, 0, cmd,
                                 KCALL_GENL_VERSION))
            return Error{ENOMEM, {}};
        if (arg_attr && nla_put_s32(msg.get(), arg_attr, arg) < 0)
            return Error{ENOMEM, {}};

        // One request at a time on the shared socket.
        std::lock_guard<std::mutex> lock(mutex_);
        nl_cb_set(cb_.get(), NL_CB_VALID, NL_CB_CUSTOM, on_valid, &ex);
        nl_cb_set(cb_.get(), NL_CB_ACK, NL_CB_CUSTOM, on_ack, &ex);
        nl_cb_err(cb_.get(), NL_CB_CUSTOM, on_error, &ex);
        errno = 0;
        int err = nl_send_auto(sock_.get(), msg.get());  // adds NLM_F_ACK
        if (err < 0)
            return Error{nl_errno(err), {}};
        while (!ex.done) {
            err = nl_recvmsgs(sock_.get(), cb_.get());
            if (err < 0 && !ex.done)
                return Error{nl_errno(err), {}};
        }
        if (ex.err)
            return Error{ex.err, ex.message};
        if (ex.result_attr && !ex.have_value)
            return Error{EPROTO, "reply without its result attribute"};
        return ex.value;
    }

private:
    std::mutex mutex_;
    std::unique_ptr<nl_sock, SockDeleter> sock_;
    std::unique_ptr<nl_cb, CbDeleter> cb_;
    int family_;
};

}  // namespace

Result<std::unique_ptr<Backend>> open_netlink_backend()
{
    std::unique_ptr<nl_sock, SockDeleter> sock(nl_socket_alloc());
    std::unique_ptr<nl_cb, CbDeleter> cb(nl_cb_alloc(NL_CB_DEFAULT));
    if (!sock || !cb)
        return Error{ENOMEM, {}};
    errno = 0;
    int err = genl_connect(sock.get());
    if (err < 0)
        return Error{nl_errno(err), "cannot open a generic netlink socket"};
    const int one = 1;
    setsockopt(nl_socket_get_fd(sock.get()), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
    const int family = genl_ctrl_resolve(sock.get(), KCALL_GENL_NAME);
    if (family < 0)
        return Error{nl_errno(family), "generic netlink family " KCALL_GENL_NAME " not found"};
    return std::unique_ptr<Backend>(
        std::make_unique<NetlinkBackend>(std::move(sock), std::move(cb), family));
}

}  // namespace kcall
